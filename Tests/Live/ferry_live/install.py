"""Runs `scripts/install PREFIX` the way a user does, for the tests of the installed binaries.

`run_install` fails the test with the script's output if it exits non-zero; the release build it
drives is slow the first time (minutes), incremental afterwards (the checkout's .build/install).
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
INSTALL_TIMEOUT_SECONDS = 3000


@dataclass
class Installed:
    prefix: Path
    output: str  # what scripts/install printed (stdout and stderr)

    @property
    def bin(self) -> Path:
        return self.prefix / "bin"


def run_install(prefix: Path, env: dict[str, str] | None = None) -> Installed:
    """`bash scripts/install PREFIX` with this process's environment (swift on PATH) plus `env`;
    its output is also kept in PREFIX/../install.log."""
    done = subprocess.run(["bash", str(REPO / "scripts" / "install"), str(prefix)], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env={**os.environ, **(env or {})}, timeout=INSTALL_TIMEOUT_SECONDS)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    (prefix.parent / "install.log").write_text(done.stdout)  # beside PREFIX, for tests that read it
    assert done.returncode == 0, f"scripts/install {prefix} → exit {done.returncode}\n{done.stdout[-6000:]}"
    return Installed(prefix, done.stdout)


def swift_toolchain_usr() -> Path:
    """The toolchain's `usr` directory, found from `swift` on PATH (/opt/swift/usr here)."""
    swift = shutil.which("swift")
    assert swift, "no swift on PATH: cannot tell where the Swift toolchain is"
    return Path(swift).resolve().parents[1]


def swift_toolchain_root() -> Path:
    """The directory to hide to make a machine without the toolchain: /opt/swift here (the toolchain's
    own tree), or usr/lib/swift when the toolchain is installed into /usr itself."""
    usr = swift_toolchain_usr()
    return usr / "lib" / "swift" if usr == Path("/usr") else usr.parent


HIDE_AND_RUN = 'mount -t tmpfs ferry-no-toolchain "$1" && shift && exec env -i PATH=/usr/bin:/bin "$@"'


@functools.cache
def can_hide_toolchain() -> bool:
    """Whether this process may mount over the toolchain in a private mount namespace (root here)."""
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", HIDE_AND_RUN, "sh",
                            str(swift_toolchain_root()), "true"], capture_output=True, text=True)
    return probe.returncode == 0


def without_toolchain(argv: list[str], env: dict[str, str]) -> list[str]:
    """`argv` as a plain Debian machine runs it: `env -i PATH=/usr/bin:/bin ENV… argv`, and, where
    allowed, with an empty tmpfs over the toolchain's directory in a mount namespace of its own, so
    a binary that still needed the toolchain's libraries (through an rpath) cannot find them."""
    assignments = [f"{key}={value}" for key, value in env.items()]
    if not can_hide_toolchain():
        return ["env", "-i", "PATH=/usr/bin:/bin", *assignments, *argv]
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", HIDE_AND_RUN, "sh",
            str(swift_toolchain_root()), *assignments, *argv]
