"""The three endpoints Ferry's ls/rm tests run on, each with an independent client: a local
directory (Python's file API), the emulator (Microsoft's azure-storage-blob SDK) and SeaweedFS
(boto3). Tests put and check objects through these, never through Ferry. Not thread-safe
except `put_many`, which puts in parallel.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from azure.storage.blob import ContentSettings

from ferry_live.blobs import new_container
from ferry_live.ferry_cli import Ferry
from ferry_live.seaweed import BUCKET


class Store:
    """One endpoint under test: where Ferry points, and an independent client to put and check."""

    kind = ""

    def __init__(self, ferry: Ferry, flags: list[str]):
        self.ferry = ferry
        self.flags = flags

    def ls(self, prefix: str, *args: str, expect: int | None = 0):
        return self.ferry.run("ls", self.url(prefix), *args, *self.flags, expect=expect)

    def rm(self, prefix: str, *args: str, expect: int | None = 0):
        return self.ferry.run("rm", self.url(prefix), *args, *self.flags, expect=expect)

    def put_many(self, objects: dict[str, bytes]) -> None:
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda item: self.put(*item), objects.items()))

    def contents(self) -> dict[str, bytes]:
        return {name: self.get(name) for name in self.names()}


class LocalStore(Store):
    kind = "local"

    def __init__(self, root: Path, ferry: Ferry):
        super().__init__(ferry, [])
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def url(self, prefix: str) -> str:
        return str(self.root / prefix) if prefix else str(self.root)

    def put(self, name: str, data: bytes, **_) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def names(self) -> list[str]:
        found = []
        for directory, _dirs, files in os.walk(self.root):
            for name in files:
                path = Path(directory) / name
                if not path.is_symlink():
                    found.append(str(path.relative_to(self.root)))
        return sorted(found)

    def get(self, name: str) -> bytes:
        return (self.root / name).read_bytes()

    def mtime(self, name: str) -> float:
        return (self.root / name).stat().st_mtime


class AzureStore(Store):
    kind = "azure"

    def __init__(self, emulator, ferry: Ferry):
        super().__init__(ferry, [])
        self.emulator = emulator
        self.container = new_container(emulator, prefix="lsrm")

    def url(self, prefix: str) -> str:
        base = f"{self.emulator.url}/{self.container.container_name}"
        return f"{base}/{prefix}" if prefix else base

    def put(self, name: str, data: bytes, md5: bytes | None = None, metadata: dict | None = None) -> None:
        settings = ContentSettings(content_md5=bytearray(md5)) if md5 else None
        self.container.upload_blob(name, data, overwrite=True, content_settings=settings, metadata=metadata)

    def names(self) -> list[str]:
        return sorted(blob.name for blob in self.container.list_blobs())

    def get(self, name: str) -> bytes:
        return self.container.download_blob(name).readall()

    def mtime(self, name: str) -> float:
        return self.container.get_blob_client(name).get_blob_properties().last_modified.timestamp()


class S3Store(Store):
    kind = "s3"

    def __init__(self, seaweed, ferry: Ferry, endpoint: str | None = None):
        super().__init__(ferry, ["--s3-endpoint", endpoint or seaweed.endpoint])
        self.seaweed = seaweed
        self.client = seaweed.client()

    def url(self, prefix: str) -> str:
        return f"s3://{BUCKET}/{prefix}" if prefix else f"s3://{BUCKET}"

    def put(self, name: str, data: bytes, **_) -> None:
        self.client.put_object(Bucket=BUCKET, Key=name, Body=data)

    def names(self) -> list[str]:
        names = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
            names += [item["Key"] for item in page.get("Contents", [])]
        return sorted(names)

    def get(self, name: str) -> bytes:
        return self.client.get_object(Bucket=BUCKET, Key=name)["Body"].read()

    def mtime(self, name: str) -> float:
        return self.client.head_object(Bucket=BUCKET, Key=name)["LastModified"].timestamp()
