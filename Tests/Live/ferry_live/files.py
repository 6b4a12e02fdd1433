"""Deterministic test data: seeded random bytes, files, directory trees, and tree comparison."""
from __future__ import annotations

import filecmp
import hashlib
import io
import os
import random
from pathlib import Path

CHUNK = 1 << 20


def random_bytes(size: int, seed: int) -> bytes:
    """`size` pseudo-random bytes, the same for the same seed."""
    return random.Random(seed).randbytes(size)


def write_random_file(path: Path, size: int, seed: int) -> Path:
    """Writes `size` seeded random bytes to `path` in 1 MiB steps (never all in memory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    with open(path, "wb") as out:
        left = size
        while left:
            step = min(CHUNK, left)
            out.write(rng.randbytes(step))
            left -= step
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def tree_files(root: Path) -> dict[str, int]:
    """Relative POSIX path → size for every regular file under `root`."""
    found = {}
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            full = Path(dirpath) / name
            found[full.relative_to(root).as_posix()] = full.stat().st_size
    return found


def assert_trees_identical(expected: Path, actual: Path) -> None:
    """Same file names (byte for byte, unicode included) and the same content in each."""
    want, got = tree_files(expected), tree_files(actual)
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    assert not missing and not extra, f"trees differ: missing {missing[:10]}…, extra {extra[:10]}…"
    different = [name for name in sorted(want)
                 if want[name] != got[name] or not filecmp.cmp(expected / name, actual / name, shallow=False)]
    assert not different, f"{len(different)} files differ in content, e.g. {different[:10]}"


class GeneratedStream(io.RawIOBase):
    """A read-only stream of `size` deterministic bytes that never holds more than one 1 MiB
    pattern in memory; it hashes what it hands out (`sha256`) so uploads can be checked.

    Each MiB is the seeded pattern with its index XOR-ed into the first 8 bytes, so no two MiB
    (and hence no two blocks) are alike, yet generating costs only a copy.
    """

    def __init__(self, size: int, seed: int):
        self.size = size
        self.position = 0
        self.pattern = random_bytes(CHUNK, seed)
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def _mib(self, index: int) -> bytes:
        head = (int.from_bytes(self.pattern[:8], "little") ^ index).to_bytes(8, "little")
        return head + self.pattern[8:]

    def readinto(self, buffer) -> int:
        view = memoryview(buffer).cast("B")
        written = 0
        while written < len(view) and self.position < self.size:
            index, offset = divmod(self.position, CHUNK)
            step = min(CHUNK - offset, len(view) - written, self.size - self.position)
            view[written:written + step] = self._mib(index)[offset:offset + step]
            written += step
            self.position += step
        self.sha256.update(view[:written])
        return written

    @staticmethod
    def expected_sha256(size: int, seed: int) -> str:
        """The digest of the whole stream, computed by generating it once more."""
        stream = GeneratedStream(size, seed)
        buffer = bytearray(8 * CHUNK)
        while stream.readinto(buffer):
            pass
        return stream.sha256.hexdigest()
