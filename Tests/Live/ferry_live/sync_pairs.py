"""A source and a destination for `ferry sync`, the ferry runner that syncs them, and the checks
every sync test shares: contents by independent clients, "nothing was sent" by server counters.

Directions are named `SRC-DST` with kinds local, azure and s3 (`DIRECTIONS`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .blobs import new_container
from .ferry_cli import Ferry, FerryRun, key_env, parse_ndjson
from .sync_sides import AzureSide, LocalSide, S3Side, reads, settle, unique_prefix, writes

MiB = 1 << 20
DIRECTIONS = ["local-azure", "azure-local", "local-s3", "s3-local", "azure-s3"]

# A small tree: an empty file, a few small ones, one of several blocks/parts (5 MiB blocks: S3's
# smallest part), nested names with a space and non-ASCII.
TREE = {
    "a.txt": b"alpha " * 17,
    "dir/b.bin": bytes(range(256)) * 20,
    "dir/sub/c.bin": None,  # multi-block, filled in by tree_bytes()
    "empty.bin": b"",
    "z last/ü.txt": "über\n".encode() * 9,
}
BIG = 6 * MiB + 5  # two 5 MiB blocks / parts


def tree_bytes() -> dict[str, bytes]:
    import random
    data = dict(TREE)
    data["dir/sub/c.bin"] = random.Random(7).randbytes(BIG)
    return data


@dataclass
class Pair:
    src: object
    dst: object
    ferry: Ferry
    extra: list[str] = field(default_factory=list)

    @property
    def direction(self) -> str:
        return f"{self.src.kind}-{self.dst.kind}"

    def sync(self, *args: str, expect: int | None = 0, json: bool = True, src_url: str | None = None) -> FerryRun:
        output = ["--output-type", "json"] if json else []
        run = self.ferry.run("sync", src_url or self.src.url, self.dst.url, *self.extra, *args, *output,
                             expect=expect, timeout=300)
        if json:
            parse_ndjson(run.stdout)  # stdout must be pure NDJSON
        return run

    def seed(self, files: dict[str, bytes]) -> None:
        """Writes `files` to the source with its own client (local files get an hour-old mtime)."""
        old = time.time() - 3600
        if self.src.kind == "azure":
            self.src.put_many(files)
            return
        for path, data in files.items():
            self.src.put(path, data, mtime=old if self.src.kind == "local" else None)

    # --- server-side evidence -------------------------------------------------------------------
    def measure(self) -> dict:
        """What each side's server (or file system) has counted so far."""
        return {"src": self.src.snapshot() if self.src.kind == "local" else settle(self.src),
                "dst": self.dst.snapshot() if self.dst.kind == "local" else settle(self.dst)}

    def dst_writes(self, before: dict, after: dict) -> dict:
        """Destination changes: write requests and bytes in (remote) or files whose inode, mtime,
        ctime or size changed, appeared or vanished (local)."""
        if self.dst.kind == "local":
            return local_changes(before["dst"], after["dst"])
        return writes(self.dst, before["dst"], after["dst"])

    def src_reads(self, before: dict, after: dict) -> dict:
        if self.src.kind == "local":
            return {}
        return reads(self.src, before["src"], after["src"])

    def assert_mirrored(self, expected: dict[str, bytes] | None = None) -> None:
        want = self.src.files() if expected is None else expected
        got = self.dst.files()
        missing = sorted(set(want) - set(got))
        extra = sorted(set(got) - set(want))
        different = sorted(p for p in set(want) & set(got) if want[p] != got[p])
        assert not missing and not extra and not different, (
            f"{self.direction}: destination differs from source: missing {missing}, extra {extra}, "
            f"different content {different}")


def local_changes(before: dict, after: dict) -> dict:
    changed = {}
    for path in sorted(set(before) | set(after)):
        if before.get(path) != after.get(path):
            changed[path] = (before.get(path), after.get(path))
    return changed


def make_side(kind: str, role: str, tmp_path: Path, emulator, seaweed):
    if kind == "local":
        return LocalSide(tmp_path / role)
    if kind == "azure":
        container = new_container(emulator, prefix="sync").container_name
        return AzureSide(emulator, container, unique_prefix(role))
    return S3Side(seaweed, unique_prefix(role))


def make_pair(direction: str, tmp_path: Path, emulator, seaweed) -> Pair:
    src_kind, dst_kind = direction.split("-")
    src = make_side(src_kind, "src", tmp_path, emulator, seaweed)
    dst = make_side(dst_kind, "dst", tmp_path, emulator, seaweed)
    env = {**key_env(emulator), **seaweed.env}
    extra = ["--block-size-mb", "5"]
    if "s3" in direction:
        extra += ["--s3-endpoint", seaweed.endpoint]
    return Pair(src, dst, Ferry(tmp_path / "ferry-home", env), extra)


def wait_for_new_second() -> None:
    """Object Last-Modified times have 1 s resolution: a re-upload must land in a later second
    than the upload before it to carry a different time."""
    time.sleep(1.1)
