"""`scripts/install PREFIX` as a cluster user runs it: release binaries with the Swift runtime linked in,
which start with a bare environment (no /opt/swift on any path) and move data through the emulator;
`ldd` names nothing of the toolchain; completions land where bash, zsh and fish look; a second
install replaces the binaries by rename while one of them runs, and leaves no temporary file behind.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from ferry_live.emulator import EmulatorProcess
from ferry_live.install import (INSTALL_TIMEOUT_SECONDS, REPO, can_hide_toolchain, run_install,
                                swift_toolchain_usr, without_toolchain)

# The first session's release build (a clean clone) takes minutes inside the first test's set-up.
pytestmark = pytest.mark.timeout(INSTALL_TIMEOUT_SECONDS + 600)

TOOLS = ("ferry", "ferry-emulator")
BARE = {"PATH": "/usr/bin:/bin"}


def bare(argv: list[str], extra: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Runs `argv` with `env -i PATH=/usr/bin:/bin EXTRA…` and, where root may, the toolchain's
    directory hidden under an empty tmpfs (ferry_live.install.without_toolchain)."""
    return subprocess.run(without_toolchain(argv, extra or {}), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=timeout)


@pytest.mark.parametrize("tool", TOOLS)
def test_installed_binary_answers_version_and_help_with_a_bare_environment(installed_ferry: Path, tool):
    binary = installed_ferry / tool
    assert os.access(binary, os.X_OK), f"{binary} not installed"
    version = bare([str(binary), "--version"])
    assert version.returncode == 0 and version.stdout.strip(), f"{tool} --version: {version}"
    # The same version the build tree reports (FERRY_BIN / FERRY_EMULATOR_BIN or the debug build).
    tree = os.environ.get("FERRY_BIN" if tool == "ferry" else "FERRY_EMULATOR_BIN", str(REPO / ".build" / "debug" / tool))
    if os.access(tree, os.X_OK):
        assert version.stdout == subprocess.run([tree, "--version"], capture_output=True, text=True).stdout
    help_text = bare([str(binary), "--help"])
    assert help_text.returncode == 0 and f"USAGE: {tool}" in help_text.stdout, f"{tool} --help: {help_text}"


def test_hiding_the_toolchain_stops_a_binary_that_needs_it():
    """The check above can fail: with the toolchain hidden, a dynamically linked Swift program does not start."""
    if not can_hide_toolchain():
        pytest.fail("cannot mount over the toolchain here (unshare --mount refused): the bare-environment "
                    "checks ran with `env -i` alone")
    dynamic = Path(os.environ.get("FERRY_BIN", str(REPO / ".build" / "debug" / "ferry")))
    assert "libswiftCore" in subprocess.run(["ldd", str(dynamic)], capture_output=True, text=True).stdout, \
        f"{dynamic} is not a dynamically linked build (set FERRY_BIN to the build tree's ferry)"
    hidden = bare([str(dynamic), "--version"])
    assert hidden.returncode == 127 and "libswift" in hidden.stderr, hidden
    shown = subprocess.run([str(dynamic), "--version"], capture_output=True, text=True, env=BARE)
    assert shown.returncode == 0, shown


@pytest.mark.parametrize("tool", TOOLS)
def test_installed_binary_loads_nothing_from_the_swift_toolchain(installed_ferry: Path, tool):
    usr = swift_toolchain_usr()
    forbidden = [str(usr / "lib" / "swift")]
    if usr != Path("/usr"):  # a toolchain of its own (/opt/swift): nothing of it at all
        forbidden.append(str(usr.parent) + "/")
    listed = subprocess.run(["ldd", str(installed_ferry / tool)], env=BARE, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines, "ldd listed nothing"
    assert not [line for line in lines if "not found" in line], listed.stdout
    assert not [line for line in lines if any(f in line for f in forbidden)], \
        f"{tool} loads from the toolchain ({forbidden}):\n{listed.stdout}"
    # The runtime is inside the binary, not beside it under another name.
    assert not [line for line in lines if "libswift" in line or "libFoundation" in line or "libdispatch" in line], \
        listed.stdout


def test_installed_pair_moves_a_file_with_a_bare_environment(installed_ferry: Path, tmp_path, monkeypatch):
    monkeypatch.setenv("FERRY_EMULATOR_BIN", str(installed_ferry / "ferry-emulator"))
    emulator = EmulatorProcess(location=tmp_path / "location", log_dir=tmp_path / "logs").start()
    try:
        data = os.urandom(3 << 20) + b"end"
        (tmp_path / "up.bin").write_bytes(data)
        env = {"HOME": str(tmp_path), "FERRY_HOME": str(tmp_path / "ferry-home"),
               "AZURE_STORAGE_CONNECTION_STRING": emulator.connection_string}
        url = f"{emulator.url}/installed/up.bin"
        ferry = str(installed_ferry / "ferry")
        up = bare([ferry, "copy", str(tmp_path / "up.bin"), url], env)
        assert up.returncode == 0, f"{up.stdout}\n{up.stderr}"
        down = bare([ferry, "copy", url, str(tmp_path / "down.bin")], env)
        assert down.returncode == 0, f"{down.stdout}\n{down.stderr}"
        assert (tmp_path / "down.bin").read_bytes() == data
    finally:
        emulator.stop()


def test_completions_land_where_each_shell_looks(installed_ferry: Path):
    share = installed_ferry.parent / "share"
    for tool in TOOLS:
        placed = {share / "bash-completion" / "completions" / tool: REPO / "Completions" / f"{tool}.bash",
                  share / "zsh" / "site-functions" / f"_{tool}": REPO / "Completions" / f"_{tool}",
                  share / "fish" / "vendor_completions.d" / f"{tool}.fish": REPO / "Completions" / f"{tool}.fish"}
        for target, source in placed.items():
            assert target.is_file(), f"missing {target}"
            assert target.read_bytes() == source.read_bytes(), f"{target} differs from {source}"
            assert target.stat().st_mode & 0o777 == 0o644, oct(target.stat().st_mode)
        # bash-completion loads the file named after the command and gets a completion for it.
        loaded = subprocess.run(["bash", "--norc", "--noprofile", "-c",
                                 f"source '{share / 'bash-completion' / 'completions' / tool}' && complete -p {tool}"],
                                capture_output=True, text=True, env=BARE)
        assert loaded.returncode == 0 and loaded.stdout.startswith("complete "), loaded


def test_a_second_install_renames_over_a_running_binary_and_says_what_to_add_to_path(installed_ferry: Path, tmp_path,
                                                                                    monkeypatch):
    prefix = installed_ferry.parent
    first_log = (prefix.parent / "install.log").read_text()
    assert f'export PATH="{prefix}/bin:$PATH"' in first_log.splitlines()[-1], first_log[-1000:]

    # A running ferry-emulator keeps its (old) file; `cp` over it would fail with "Text file busy".
    monkeypatch.setenv("FERRY_EMULATOR_BIN", str(installed_ferry / "ferry-emulator"))
    emulator = EmulatorProcess(location=tmp_path / "location", log_dir=tmp_path / "logs").start()
    try:
        inodes = {tool: (installed_ferry / tool).stat().st_ino for tool in TOOLS}
        again = run_install(prefix)
        assert emulator.process.poll() is None, "the running emulator died during the install"
        assert emulator.admin("GET", "stats")[0] == 200
        for tool in TOOLS:
            assert (installed_ferry / tool).stat().st_ino != inodes[tool], f"{tool} was not replaced by a rename"
        assert bare([str(installed_ferry / "ferry"), "--version"]).returncode == 0
    finally:
        emulator.stop()
    leftovers = [p for p in prefix.rglob("*") if ".install-" in p.name]
    assert not leftovers, leftovers
    steps = again.output.splitlines()
    assert all(line.startswith("install: ") for line in steps), again.output
    assert any("built ferry-emulator" in line for line in steps) and any("checked:" in line for line in steps)
