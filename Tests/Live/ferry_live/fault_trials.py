"""Helpers of the seeded fault suite (test_fault_suite.py): the seed, trees, the tally behind the
one summary line, and checks of what landed that never ask Ferry (azure-storage-blob, boto3,
direct file reads).

The tally is shared by the suite's tests (one pytest process, tests run in file order); each
test adds its trials, faults, verified files and wrong files, and the last test prints the line.
Not thread-safe: one test drives it at a time.
"""
from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .blobs import service_client
from .files import random_bytes
from .seaweed import BUCKET

KiB, MiB = 1 << 10, 1 << 20
DEFAULT_SEED = 20261205


def suite_seed() -> int:
    """`$FERRY_FAULT_SEED`, else the fixed default: a failure names it so it can be replayed."""
    return int(os.environ.get("FERRY_FAULT_SEED", DEFAULT_SEED))


def rng_for(*parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in (suite_seed(), *parts)))


@dataclass
class Tally:
    trials: int = 0
    faults_injected: int = 0
    files_verified: int = 0
    files_wrong: int = 0
    bytes_resent: int = 0
    wrong: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"fault suite: trials={self.trials} faults_injected={self.faults_injected} "
                f"files_verified={self.files_verified} files_wrong={self.files_wrong} "
                f"bytes_resent={self.bytes_resent}")


TALLY = Tally()


@contextlib.contextmanager
def trial(name: str):
    """Counts one trial; any failure inside names the seed and the trial (to replay it)."""
    TALLY.trials += 1
    try:
        yield
    except AssertionError as error:
        raise AssertionError(f"[FERRY_FAULT_SEED={suite_seed()} trial={name}] {error}") from None


def check(name: str, got: bytes | None, want: bytes, where: str) -> None:
    """Records one verified file (wrong bytes or a missing file count as wrong)."""
    TALLY.files_verified += 1
    if got != want:
        TALLY.files_wrong += 1
        what = "missing" if got is None else f"{len(got)} bytes, expected {len(want)} (content differs)"
        TALLY.wrong.append(f"[seed {suite_seed()}] {where}: {name}: {what}")


def make_tree(root: Path, seed: int, big_sizes: list[int], small_count: int) -> dict[str, bytes]:
    """Writes a tree (multi-block files `big-N.bin`, small files `small/N.bin`); relative path → bytes."""
    files: dict[str, bytes] = {}
    for number, size in enumerate(big_sizes):
        files[f"big-{number}.bin"] = random_bytes(size, seed * 100 + number)
    for number in range(small_count):
        files[f"small/{number}.bin"] = random_bytes(700 + number * 9000, seed * 100 + 50 + number)
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def local_files(root: Path) -> dict[str, bytes]:
    """Relative path → bytes of every regular file under `root`, hidden ones included."""
    found = {}
    if not root.exists():
        return found
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            full = Path(dirpath) / name
            found[full.relative_to(root).as_posix()] = full.read_bytes()
    return found


def is_temporary_name(relative: str) -> bool:
    """Ferry's own in-progress names: `.NAME.ferry-partial` and `.NAME.ferry-<hex>`."""
    return Path(relative).name.startswith(".") and ".ferry-" in Path(relative).name


def check_download_after_kill(root: Path, expected: dict[str, bytes], where: str) -> None:
    """After a kill: every file under a final name holds exactly its bytes (partials may lie about)."""
    for name, data in local_files(root).items():
        if is_temporary_name(name):
            continue
        if name not in expected:
            TALLY.files_verified += 1
            TALLY.files_wrong += 1
            TALLY.wrong.append(f"[seed {suite_seed()}] {where}: unexpected file {name}")
            continue
        check(name, data, expected[name], where)


def check_download_complete(root: Path, expected: dict[str, bytes], where: str) -> None:
    """After completion: exactly the expected files, byte-identical, nothing else (no partials)."""
    present = local_files(root)
    for name, data in expected.items():
        check(name, present.get(name), data, where)
    extra = sorted(set(present) - set(expected))
    if extra:
        TALLY.files_wrong += len(extra)
        TALLY.wrong.append(f"[seed {suite_seed()}] {where}: files other than the final ones remain: {extra}")


def kill9_after(process: subprocess.Popen, seconds: float) -> bool:
    """SIGKILLs `process` after `seconds` unless it ended first; True if the kill landed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        time.sleep(0.01)
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


# --- checks through Microsoft's SDK and boto3 -------------------------------------------------------
def azure_blobs(emulator, container: str, prefix: str) -> dict[str, bytes]:
    client = service_client(emulator).get_container_client(container)
    return {blob.name[len(prefix):]: client.download_blob(blob.name).readall()
            for blob in client.list_blobs(name_starts_with=prefix)}


def s3_objects(seaweed, prefix: str) -> dict[str, bytes]:
    client = seaweed.client()
    found: dict[str, bytes] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        for item in page.get("Contents", []):
            found[item["Key"][len(prefix):]] = client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
    return found


def check_store(found: dict[str, bytes], expected: dict[str, bytes], where: str, complete: bool) -> None:
    """Every object present must hold its bytes; `complete`: every expected one is present, no other."""
    for name, data in found.items():
        check(name, data, expected.get(name, b"<not expected>"), where)
    if complete:
        for name, data in expected.items():
            if name not in found:
                check(name, None, data, where)


def assert_no_wrong_files() -> None:
    assert TALLY.files_wrong == 0, "wrong files:\n" + "\n".join(TALLY.wrong[:40])
