"""The two ends of a `ferry sync` in the live tests: a local directory, an Azure prefix on the
emulator or an S3 prefix on SeaweedFS, each read and written with an independent client
(os, Microsoft's azure-storage-blob, boto3) — never with ferry — and each able to say what its
SERVER saw (request and byte counters) so "nothing was sent" is asserted from the server side.

Counters:
- emulator: `GET /__ferry/stats` (requests per operation, request bytes in; not bytesOut, which
  counts every answer, listings and the stats themselves included);
- SeaweedFS: its own Prometheus metrics (`weed mini -metricsPort`): `SeaweedFS_s3_request_total`
  per request type (PUT, POST, DELETE, COPY, GET — a HEAD is counted as GET there) and
  `SeaweedFS_s3_bucket_traffic_{received,sent}_bytes_total` (body bytes);
- local: every file's (inode, mtime_ns, ctime_ns, size): an untouched file keeps all four.
Names are compared as Python `str` (code points), so NFC and NFD spellings stay two names.
"""
from __future__ import annotations

import itertools
import os
import re
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .blobs import service_client
from .seaweed import BUCKET, SeaweedProcess, free_ports

_prefixes = itertools.count()

AZURE_WRITES = ("PutBlob", "PutBlock", "PutBlockList", "SetBlobMetadata", "SetBlobProperties", "DeleteBlob")
S3_WRITES = ("PUT", "POST", "DELETE", "COPY")


def unique_prefix(stem: str) -> str:
    return f"{stem}-{next(_prefixes):04d}"


# --- SeaweedFS with its Prometheus endpoint ------------------------------------------------------
@dataclass
class MeteredSeaweed(SeaweedProcess):
    """`weed mini` with `-metricsPort`: its counters are the server's own account of requests."""

    metrics_port: int = 0

    def _start_once(self) -> "MeteredSeaweed":
        self.metrics_port = free_ports(1)[0]
        self.extra_args = [f"-metricsPort={self.metrics_port}", "-metricsIp=127.0.0.1"]
        return super()._start_once()

    def metrics(self) -> dict[tuple[str, frozenset], float]:
        text = urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=30).read().decode()
        values: dict[tuple[str, frozenset], float] = {}
        for line in text.splitlines():
            match = _METRIC.match(line)
            if match:
                labels = frozenset(_LABEL.findall(match.group(2) or ""))
                values[(match.group(1), labels)] = float(match.group(3))
        return values

    def counters(self) -> dict[str, float]:
        """Requests per S3 type (all buckets) and the `ferry` bucket's body bytes in and out."""
        found: dict[str, float] = {}
        for (name, labels), value in self.metrics().items():
            label = dict(labels)
            if name == "SeaweedFS_s3_request_total" and label.get("bucket") == BUCKET:
                found[label["type"]] = found.get(label["type"], 0) + value
            elif name == "SeaweedFS_s3_bucket_traffic_received_bytes_total" and label.get("bucket") == BUCKET:
                found["bytesIn"] = value
            elif name == "SeaweedFS_s3_bucket_traffic_sent_bytes_total" and label.get("bucket") == BUCKET:
                found["bytesOut"] = value
        return found


_METRIC = re.compile(r"^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$")
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


# --- the ends of a sync -------------------------------------------------------------------------
class LocalSide:
    kind = "local"

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return str(self.root)

    def files(self) -> dict[str, bytes]:
        found = {}
        for dirpath, _dirs, names in os.walk(self.root):
            for name in names:
                full = Path(dirpath) / name
                relative = full.relative_to(self.root).as_posix()
                if name.endswith(".ferry-partial"):
                    raise AssertionError(f"a partial download was left behind: {relative}")
                found[relative] = full.read_bytes()
        return found

    def put(self, path: str, data: bytes, mtime: float | None = None) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if mtime is not None:
            os.utime(target, (mtime, mtime))

    def remove(self, path: str) -> None:
        (self.root / path).unlink()

    def mtime(self, path: str) -> float:
        return (self.root / path).stat().st_mtime

    def snapshot(self) -> dict[str, tuple[int, int, int, int]]:
        """(inode, mtime_ns, ctime_ns, size) per file: equal snapshots = nothing was written."""
        found = {}
        for dirpath, _dirs, names in os.walk(self.root):
            for name in names:
                st = (Path(dirpath) / name).stat()
                found[(Path(dirpath) / name).relative_to(self.root).as_posix()] = (
                    st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size)
        return found

    def touch_all(self, when: float) -> None:
        for path in self.files():
            os.utime(self.root / path, (when, when))


class AzureSide:
    kind = "azure"

    def __init__(self, emulator, container: str, prefix: str):
        self.emulator = emulator
        self.container = container
        self.prefix = prefix
        self.client = service_client(emulator).get_container_client(container)

    @property
    def url(self) -> str:
        return f"{self.emulator.url}/{self.container}/{self.prefix}"

    def files(self) -> dict[str, bytes]:
        start = self.prefix + "/"
        names = [b.name for b in self.client.list_blobs(name_starts_with=start)]
        return {name[len(start):]: self.client.download_blob(name).readall() for name in names}

    def names(self) -> list[str]:
        start = self.prefix + "/"
        return [b.name[len(start):] for b in self.client.list_blobs(name_starts_with=start)]

    def put(self, path: str, data: bytes, mtime: float | None = None) -> None:
        assert mtime is None, "an object's Last-Modified is the server's clock"
        self.client.upload_blob(f"{self.prefix}/{path}", data, overwrite=True)

    def put_many(self, items: dict[str, bytes]) -> None:
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda item: self.put(*item), items.items()))

    def remove(self, path: str) -> None:
        self.client.delete_blob(f"{self.prefix}/{path}")

    def properties(self, path: str):
        return self.client.get_blob_client(f"{self.prefix}/{path}").get_blob_properties()

    def counters(self) -> dict[str, float]:
        """Requests per operation and request bytes in. Not bytesOut: the emulator counts every
        answer there, listings and these stats included."""
        stats = self.emulator.stats()
        return {**stats["requests"], "bytesIn": stats["bytesIn"]}


class S3Side:
    kind = "s3"

    def __init__(self, seaweed: MeteredSeaweed, prefix: str):
        self.seaweed = seaweed
        self.prefix = prefix
        self.client = seaweed.client()

    @property
    def url(self) -> str:
        return f"s3://{BUCKET}/{self.prefix}"

    def names(self) -> list[str]:
        start = self.prefix + "/"
        found = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=start):
            found += [o["Key"][len(start):] for o in page.get("Contents", [])]
        return found

    def files(self) -> dict[str, bytes]:
        return {name: self.client.get_object(Bucket=BUCKET, Key=f"{self.prefix}/{name}")["Body"].read()
                for name in self.names()}

    def put(self, path: str, data: bytes, mtime: float | None = None, metadata: dict | None = None) -> None:
        assert mtime is None, "an object's Last-Modified is the server's clock"
        self.client.put_object(Bucket=BUCKET, Key=f"{self.prefix}/{path}", Body=data, Metadata=metadata or {})

    def remove(self, path: str) -> None:
        self.client.delete_object(Bucket=BUCKET, Key=f"{self.prefix}/{path}")

    def head(self, path: str) -> dict:
        return self.client.head_object(Bucket=BUCKET, Key=f"{self.prefix}/{path}")

    def counters(self) -> dict[str, float]:
        return self.seaweed.counters()


# --- what a server saw between two counter snapshots --------------------------------------------
def delta(before: dict[str, float], after: dict[str, float], keys) -> dict[str, float]:
    """Non-zero differences for `keys` (a missing counter counts as 0)."""
    changed = {key: after.get(key, 0) - before.get(key, 0) for key in keys}
    return {key: value for key, value in changed.items() if value}


def writes(side, before, after) -> dict[str, float]:
    """Write requests and bytes received that a remote side's server counted in between."""
    keys = (*AZURE_WRITES, "bytesIn") if side.kind == "azure" else (*S3_WRITES, "bytesIn")
    return delta(before, after, keys)


def reads(side, before, after) -> dict[str, float]:
    """Object reads a remote side's server counted: Get Blob requests (Azure); body bytes out
    for SeaweedFS, which counts a HEAD as a GET request."""
    keys = ("GetBlob",) if side.kind == "azure" else ("bytesOut",)
    return delta(before, after, keys)


def settle(side) -> dict[str, float]:
    """Counters once two reads 0.2 s apart agree (SeaweedFS may count after the answer is sent;
    the emulator counts before it answers)."""
    previous = side.counters()
    if side.kind == "azure":
        return previous
    while True:
        time.sleep(0.2)
        current = side.counters()
        if current == previous:
            return current
        previous = current
