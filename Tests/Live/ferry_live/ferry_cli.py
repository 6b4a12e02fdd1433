"""Runs the built `ferry` binary the way a user or CI would, and reads what it says.

Every run gets its own `FERRY_HOME` (the manifest folder) unless a test shares one on purpose, and
a clean environment: only PATH, HOME, FERRY_HOME and the credentials a test passes in.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


def ferry_binary() -> str:
    """`$FERRY_BIN`, else the debug build of this checkout; fails the test if absent."""
    path = os.environ.get("FERRY_BIN")
    if not path:
        path = str(Path(__file__).resolve().parents[3] / ".build" / "debug" / "ferry")
    assert os.access(path, os.X_OK), f"ferry binary not found or not executable: {path}"
    return path


@dataclass
class FerryRun:
    argv: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def events(self) -> list[dict]:
        """The NDJSON events of `--output-type json` (stdout must be pure JSON lines)."""
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    def event(self, kind: str) -> dict:
        found = [e for e in self.events if e.get("type") == kind]
        assert found, f"no '{kind}' event in: {self.stdout[-2000:]}"
        return found[-1]

    @property
    def job_id(self) -> str:
        return self.event("start")["jobId"]

    def describe(self) -> str:
        return (f"ferry {' '.join(self.argv[1:])} → exit {self.returncode}\n"
                f"stdout tail:\n{self.stdout[-3000:]}\nstderr tail:\n{self.stderr[-3000:]}")


class Ferry:
    """A `ferry` command line with its own FERRY_HOME and credential environment."""

    def __init__(self, home: Path, env: dict[str, str] | None = None):
        self.home = home
        self.env = dict(env or {})
        home.mkdir(parents=True, exist_ok=True)

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.home.parent),
               "FERRY_HOME": str(self.home)}
        env.update(self.env)
        env.update(extra or {})
        return env

    def run(self, *args: str, env: dict[str, str] | None = None, timeout: float = 900,
            expect: int | None = 0) -> FerryRun:
        argv = [ferry_binary(), *args]
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              env=self.environment(env), timeout=timeout)
        run = FerryRun(argv, done.returncode, done.stdout, done.stderr)
        if expect is not None:
            assert run.returncode == expect, run.describe()
        return run

    def start(self, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        """Starts ferry in the background (stdout/stderr to files in FERRY_HOME's parent)."""
        argv = [ferry_binary(), *args]
        out = open(self.home.parent / "ferry-bg.stdout", "w")
        err = open(self.home.parent / "ferry-bg.stderr", "w")
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, text=True,
                                env=self.environment(env))

    def background_output(self) -> tuple[str, str]:
        return ((self.home.parent / "ferry-bg.stdout").read_text(errors="replace"),
                (self.home.parent / "ferry-bg.stderr").read_text(errors="replace"))


def kill9_when(process: subprocess.Popen, condition, timeout: float = 120, poll: float = 0.05) -> None:
    """SIGKILLs `process` as soon as `condition()` holds (a crash at a chosen point)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"ferry exited ({process.returncode}) before the kill point"
        if condition():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return
        time.sleep(poll)
    process.kill()
    raise AssertionError("kill point never reached")


def files_containing(root: Path, needles: list[str]) -> list[str]:
    """Every file under `root` whose bytes contain one of `needles` (for the secret test)."""
    hits = []
    encoded = [n.encode() for n in needles if n]
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            for needle in encoded:
                if needle in data:
                    hits.append(f"{path}: {needle[:6]!r}…")
    return hits
