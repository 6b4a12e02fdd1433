"""Runs the built `ferry` binary the way a user or CI would, and reads what it says.

Every run gets its own `FERRY_HOME` (the manifest folder) unless a test shares one on purpose, and
a clean environment: only PATH, HOME, FERRY_HOME and the credentials a test passes in.
Also: credential environments for the emulator, read-only queries on a job database, Ferry's
block IDs decoded from the emulator's `putBlocks` (to prove a block was or was not sent again).
"""
from __future__ import annotations

import base64
import json
import os
import signal
import sqlite3
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


# --- credentials for the emulator, as a user would set them -------------------------------------
def key_env(emulator) -> dict[str, str]:
    """`AZURE_STORAGE_ACCOUNT` + `AZURE_STORAGE_KEY` for the emulator's account."""
    return {"AZURE_STORAGE_ACCOUNT": emulator.account, "AZURE_STORAGE_KEY": emulator.key}


def connection_string_env(emulator) -> dict[str, str]:
    return {"AZURE_STORAGE_CONNECTION_STRING": emulator.connection_string}


def ferry_for(tmp_path: Path, emulator=None, name: str = "ferry-home", env: dict[str, str] | None = None) -> Ferry:
    """A `Ferry` with its own FERRY_HOME under `tmp_path`; the account key by default."""
    if env is None:
        env = key_env(emulator) if emulator is not None else {}
    return Ferry(tmp_path / name, env)


# --- the job database ($FERRY_HOME/jobs/<id>.db), read the way an operator would -----------------
def job_ids(home: Path) -> list[str]:
    # `<id>.dest.db` (a sync's destination index) and `<id>.shard.db` (a shard's split) are not jobs.
    return sorted(p.stem for p in (home / "jobs").glob("*.db") if "." not in p.stem)


def only_job_id(home: Path) -> str:
    ids = job_ids(home)
    assert len(ids) == 1, f"expected exactly one job in {home / 'jobs'}, found {ids}"
    return ids[0]


def manifest_rows(home: Path, job_id: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Runs one read query on a job database (after `kill -9` too: SQLite replays its WAL)."""
    path = home / "jobs" / f"{job_id}.db"
    assert path.exists(), f"no job database at {path}"
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def manifest_done_blocks(home: Path, job_id: str) -> dict[str, set[int]]:
    """Destination path → indexes of blocks the manifest records as acknowledged (`done`)."""
    done: dict[str, set[int]] = {}
    rows = manifest_rows(home, job_id, "SELECT f.destination_path, b.idx FROM blocks b JOIN files f ON f.id = b.file_id "
                                       "WHERE b.state = 'done'")
    for path, index in rows:
        done.setdefault(path, set()).add(int(index))
    return done


def manifest_done_indexes(home: Path, job_id: str) -> set[int]:
    """Indexes of the acknowledged blocks of the job's one multi-block file (empty if none recorded)."""
    done = manifest_done_blocks(home, job_id)
    assert len(done) <= 1, f"one multi-block file expected in the manifest, got {sorted(done)}"
    return set().union(*done.values()) if done else set()


def settled_put_blocks(emulator) -> list[dict]:
    """The emulator's accepted Put Blocks once no more arrive (a body already read may still land)."""
    previous = -1
    while True:
        blocks = emulator.stats()["putBlocks"]
        if len(blocks) == previous:
            return blocks
        previous = len(blocks)
        time.sleep(0.5)


# --- Ferry's block IDs (Core/BlockRef.swift: base64 of `fy2-<16 hex layout>-<10-digit index>-<16 hex CRC-64>`) ---
def decode_block_id(block_id: str) -> tuple[str, int, int]:
    """(layout hex, block index, CRC-64 of the block's bytes) of a Ferry block ID; fails on anything else."""
    text = base64.b64decode(block_id).decode("ascii")
    prefix, layout, index, crc = text.split("-")
    assert prefix == "fy2" and len(layout) == 16 and len(index) == 10 and len(crc) == 16, f"not a Ferry block ID: {text!r}"
    return layout, int(index), int(crc, 16)


def put_block_indexes(stats: dict, blob: str | None = None) -> list[int]:
    """Block indexes of every Put Block the emulator accepted (of one blob, if given), in order."""
    return [decode_block_id(entry["blockId"])[1] for entry in stats["putBlocks"]
            if blob is None or entry["blob"] == blob]


def wait_until(condition, timeout: float = 120, poll: float = 0.05, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    raise AssertionError(f"{what} not reached within {timeout} s")


def parse_ndjson(text: str) -> list[dict]:
    """Every non-empty line must be a JSON object (else the test fails with the bad line)."""
    events = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError as error:
            raise AssertionError(f"stdout line {number} is not JSON ({error}): {line[:300]!r}") from None
        assert isinstance(event, dict), f"stdout line {number} is not a JSON object: {line[:300]!r}"
        events.append(event)
    return events
