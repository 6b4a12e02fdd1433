"""The two stores of `ferry_vs_sync_peers.py` and how each sync tool reaches them.

`AzureSide`: one ferry-emulator; Ferry and AzCopy get a SAS URL, rclone the account key
(RCLONE_AZUREBLOB_*, remote `:azureblob:CONTAINER/PATH`). `S3Side`: one SeaweedFS `weed mini`;
Ferry gets `--s3-endpoint`, s5cmd `--endpoint-url`, rclone an env-configured `:s3:` remote.
Each tool syncs into its own prefix (`<tool>/`) of one container / bucket. Listings for the
checks go straight to the server (raw List Blobs with the SAS; boto3 for S3), not through any
of the measured tools.
"""
from __future__ import annotations

import http.client
import os
import re
import shutil
import sys
import urllib.parse
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "Live"))

from ferry_live.blobs import account_sas, service_client  # noqa: E402
from ferry_live.emulator import EmulatorProcess  # noqa: E402
from ferry_live.seaweed import BUCKET, SeaweedProcess  # noqa: E402

CONTAINER = "sync"
# rclone: --checkers 32 as in its no-op advice; --transfers 16 as in its S3 advice (the first
# sync of 200,000 files takes minutes with its default 4).
RCLONE_FLAGS = ["--checkers", "32", "--transfers", "16", "--stats", "0", "--log-level", "ERROR"]
WRITE_OPERATIONS = ("PutBlob", "PutBlock", "PutBlockList", "SetBlobMetadata", "SetBlobProperties",
                    "DeleteBlob")


class AzureSide:
    name = "azure"
    tools = ("ferry", "rclone", "azcopy")

    def __init__(self, work: Path, bins: dict[str, str]):
        self.work, self.bins = work, bins
        self.server = EmulatorProcess(location=work / "emulator", log_dir=work / "emulator-logs").start([])
        now = datetime.now(timezone.utc)
        self.sas = account_sas(self.server, permission="rwdlac", resource_types="sco",
                               expiry=now + timedelta(hours=12))
        service_client(self.server).create_container(CONTAINER)

    @property
    def pid(self) -> int:
        return self.server.pid

    def stop(self) -> None:
        self.server.stop()
        shutil.rmtree(self.work / "emulator", ignore_errors=True)

    def env(self, home: Path) -> dict[str, str]:
        return {"PATH": os.environ["PATH"], "HOME": str(home), "FERRY_HOME": str(home / "ferry-home"),
                "AZCOPY_JOB_PLAN_LOCATION": str(home / "azcopy-plans"),
                "AZCOPY_LOG_LOCATION": str(home / "azcopy-logs"),
                "RCLONE_CONFIG": str(home / "rclone.conf"),
                "RCLONE_AZUREBLOB_ACCOUNT": self.server.account, "RCLONE_AZUREBLOB_KEY": self.server.key,
                "RCLONE_AZUREBLOB_ENDPOINT": self.server.url}

    def argv(self, tool: str, source: Path, extra_ferry: list[str]) -> list[str]:
        url = f"{self.server.url}/{CONTAINER}/{tool}?{self.sas}"
        if tool == "ferry":
            return [self.bins["ferry"], "sync", str(source), url, *extra_ferry]
        if tool == "azcopy":
            # A trailing '/' makes AzCopy treat the (not yet existing) prefix as a directory.
            url = f"{self.server.url}/{CONTAINER}/{tool}/?{self.sas}"
            return [self.bins["azcopy"], "sync", str(source), url, "--from-to", "LocalBlob",
                    "--skip-version-check", "--recursive"]
        return [self.bins["rclone"], "sync", str(source), f":azureblob:{CONTAINER}/{tool}", *RCLONE_FLAGS]

    # --- server-side checks ----------------------------------------------------------------
    def reset_counts(self) -> None:
        self.server.reset_stats()

    def write_requests(self) -> int | None:
        requests = self.server.stats()["requests"]
        return sum(requests.get(op, 0) for op in WRITE_OPERATIONS)

    def list_names(self, tool: str) -> set[bytes]:
        """Every blob name under `<tool>/`, without the prefix, as UTF-8 bytes (raw List Blobs)."""
        names: set[bytes] = set()
        marker = ""
        prefix = f"{tool}/"
        connection = http.client.HTTPConnection(self.server.host, self.server.port, timeout=120)
        try:
            while True:
                query = f"restype=container&comp=list&maxresults=5000&prefix={urllib.parse.quote(prefix)}"
                if marker:
                    query += f"&marker={urllib.parse.quote(marker)}"
                connection.request("GET", f"/{self.server.account}/{CONTAINER}?{query}&{self.sas}")
                response = connection.getresponse()
                body = response.read()
                if response.status != 200:
                    raise SystemExit(f"List Blobs → {response.status}: {body[:300]!r}")
                for name in re.findall(rb"<Blob><Name>([^<]*)</Name>", body):
                    names.add(_xml_unescape(name)[len(prefix):])
                found = re.search(rb"<NextMarker>([^<]+)</NextMarker>", body)
                if not found:
                    return names
                marker = _xml_unescape(found.group(1)).decode()
        finally:
            connection.close()

    def read(self, tool: str, relative: str) -> bytes:
        path = urllib.parse.quote(f"/{self.server.account}/{CONTAINER}/{tool}/{relative}")
        connection = http.client.HTTPConnection(self.server.host, self.server.port, timeout=60)
        try:
            connection.request("GET", f"{path}?{self.sas}")
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise SystemExit(f"Get Blob {tool}/{relative} → {response.status}")
            return body
        finally:
            connection.close()


class S3Side:
    name = "s3"
    tools = ("ferry", "rclone", "s5cmd")

    def __init__(self, work: Path, bins: dict[str, str]):
        self.work, self.bins = work, bins
        self.server = SeaweedProcess(work / "seaweed").start()
        self.client = self.server.client()

    @property
    def pid(self) -> int:
        assert self.server.process is not None
        return self.server.process.pid

    def stop(self) -> None:
        self.server.stop()
        shutil.rmtree(self.work / "seaweed", ignore_errors=True)

    def env(self, home: Path) -> dict[str, str]:
        return {"PATH": os.environ["PATH"], "HOME": str(home), "FERRY_HOME": str(home / "ferry-home"),
                "AWS_EC2_METADATA_DISABLED": "true", "RCLONE_CONFIG": str(home / "rclone.conf"),
                "RCLONE_S3_PROVIDER": "SeaweedFS", "RCLONE_S3_ENV_AUTH": "true",
                "RCLONE_S3_REGION": "us-east-1", "RCLONE_S3_ENDPOINT": self.server.endpoint,
                "RCLONE_S3_FORCE_PATH_STYLE": "true", **self.server.env}

    def argv(self, tool: str, source: Path, extra_ferry: list[str]) -> list[str]:
        endpoint = self.server.endpoint
        if tool == "ferry":
            return [self.bins["ferry"], "sync", str(source), f"s3://{BUCKET}/{tool}", "--s3-endpoint", endpoint,
                    *extra_ferry]
        if tool == "s5cmd":
            return [self.bins["s5cmd"], "--endpoint-url", endpoint, "sync", f"{source}/", f"s3://{BUCKET}/{tool}/"]
        return [self.bins["rclone"], "sync", str(source), f":s3:{BUCKET}/{tool}", *RCLONE_FLAGS]

    def reset_counts(self) -> None:
        pass

    def write_requests(self) -> int | None:
        return None  # SeaweedFS keeps no request counters we can read

    def list_names(self, tool: str) -> set[bytes]:
        names: set[bytes] = set()
        prefix = f"{tool}/"
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
            for entry in page.get("Contents", []):
                names.add(entry["Key"][len(prefix):].encode())
        return names

    def read(self, tool: str, relative: str) -> bytes:
        return self.client.get_object(Bucket=BUCKET, Key=f"{tool}/{relative}")["Body"].read()


def _xml_unescape(raw: bytes) -> bytes:
    return (raw.replace(b"&lt;", b"<").replace(b"&gt;", b">").replace(b"&quot;", b'"')
            .replace(b"&apos;", b"'").replace(b"&amp;", b"&"))
