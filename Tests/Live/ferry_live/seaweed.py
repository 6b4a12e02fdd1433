"""A SeaweedFS `weed mini` S3 server for the S3 live tests, and boto3 / `aws` clients for it.

One `SeaweedProcess` owns one child: loopback only, free ports, its own data directory, a static
identity generated per start. A server that does not answer within 30 s FAILS the test (never a
skip). Not thread-safe: one test drives it.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT_SECONDS = 30
BUCKET = "ferry"
# SeaweedFS does not take the newest SDKs' default checksums on every request (PROTOCOLS.md B5).
CHECKSUM_ENV = {"AWS_REQUEST_CHECKSUM_CALCULATION": "when_required",
                "AWS_RESPONSE_CHECKSUM_VALIDATION": "when_required"}


class SeaweedStartError(AssertionError):
    """SeaweedFS did not start or answer in time: a failure, never a skip."""


def weed_binary() -> str:
    """`$FERRY_WEED_BIN`, else `.tools/seaweedfs/bin/weed` of this checkout; fails if absent."""
    path = os.environ.get("FERRY_WEED_BIN")
    if not path:
        path = str(Path(__file__).resolve().parents[3] / ".tools" / "seaweedfs" / "bin" / "weed")
    if not os.access(path, os.X_OK):
        raise SeaweedStartError(f"weed binary not found or not executable: {path} "
                                "(run scripts/install-seaweedfs or set FERRY_WEED_BIN)")
    return path


PORT_TAKEN_MARKERS = ("address already in use", "Port allocation failed")


def free_ports(count: int) -> list[int]:
    """`count` distinct loopback ports free together with port + 10000 (weed's gRPC ports)."""
    ports: list[int] = []
    attempts = 0
    while len(ports) < count:
        attempts += 1
        if attempts > 2000:
            raise SeaweedStartError("found no free loopback ports")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        # weed also refuses a port equal to another one's gRPC port (port + 10000).
        if port + 10000 > 65535 or port in ports or port + 10000 in ports or port - 10000 in ports:
            continue
        try:
            with socket.socket() as grpc:
                grpc.bind(("127.0.0.1", port + 10000))
        except OSError:
            continue
        ports.append(port)
    return ports


@dataclass
class SeaweedProcess:
    """Starts and stops `weed mini` with a fresh directory under `root`."""

    root: Path
    access_key: str = field(default_factory=lambda: "FERRY" + uuid.uuid4().hex[:15].upper())
    secret_key: str = field(default_factory=lambda: uuid.uuid4().hex + uuid.uuid4().hex)
    port: int = 0
    process: subprocess.Popen | None = None
    extra_args: list[str] = field(default_factory=list)  # more `weed mini` flags (e.g. -metricsPort)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        """Credentials as a user sets them for ferry, aws and boto3 (no endpoint: ferry gets --s3-endpoint)."""
        return {"AWS_ACCESS_KEY_ID": self.access_key, "AWS_SECRET_ACCESS_KEY": self.secret_key,
                "AWS_REGION": "us-east-1", **CHECKSUM_ENV}

    @property
    def log_path(self) -> Path:
        return self.root / "weed.log"

    def start(self) -> "SeaweedProcess":
        """Starts weed; a start that lost one of its ports to another process between the probe
        and weed's bind is tried again with new ports, up to three times."""
        for attempt in range(1, 4):
            try:
                return self._start_once()
            except SeaweedStartError as error:
                if attempt == 3 or not any(marker in str(error) for marker in PORT_TAKEN_MARKERS):
                    raise
        raise AssertionError("unreachable")

    def _start_once(self) -> "SeaweedProcess":
        assert self.process is None, "SeaweedFS already running"
        binary = weed_binary()
        data = self.root / "data"
        shutil.rmtree(data, ignore_errors=True)  # a failed earlier attempt's master state names its ports
        data.mkdir(parents=True, exist_ok=True)
        config = self.root / "s3.json"
        config.write_text(json.dumps({"identities": [{
            "name": "ferry", "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": ["Admin", "Read", "List", "Write"]}]}))
        ports = free_ports(5)
        self.port = ports[0]
        args = [binary, "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-master.telemetry=false",
                f"-s3.config={config}", f"-bucket={BUCKET}",
                f"-s3.port={ports[0]}", f"-master.port={ports[1]}", f"-volume.port={ports[2]}",
                f"-filer.port={ports[3]}", f"-admin.port={ports[4]}", "-admin.ui=false", "-webdav=false",
                "-s3.port.iceberg=0", "-s3.port.lance=0", "-s3.concurrentUploadLimitMB=64",
                "-master.volumeSizeLimitMB=64", *self.extra_args]
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        log.close()
        try:
            self._wait_until_ready()
        except BaseException:
            tail = self.log_path.read_text(errors="replace")[-2000:]
            self.stop()
            raise SeaweedStartError(f"SeaweedFS did not answer within {START_TIMEOUT_SECONDS} s; log tail:\n{tail}")
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SeaweedStartError(f"weed exited with status {self.process.returncode}")
            try:
                self.client().list_objects_v2(Bucket=BUCKET, MaxKeys=1)
                return
            except Exception as error:  # not up yet (connection refused, bucket not created yet)
                last = error
                time.sleep(0.2)
        raise SeaweedStartError(f"no answer: {last}")

    def stop(self) -> None:
        """SIGTERM by PID, SIGKILL after 10 s; always reaps."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    # --- clients ------------------------------------------------------------------------------
    def client(self):
        """A boto3 S3 client for this server (path-style, when_required checksums)."""
        for name, value in CHECKSUM_ENV.items():
            os.environ.setdefault(name, value)
        import boto3
        from botocore.config import Config
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.access_key,
                            aws_secret_access_key=self.secret_key, region_name="us-east-1",
                            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 3},
                                          request_checksum_calculation="when_required",
                                          response_checksum_validation="when_required"))

    def aws(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        """Runs the AWS CLI (`aws` next to this Python) against this server; fails on non-zero exit."""
        aws = Path(sys.executable).parent / "aws"
        assert aws.exists(), f"the AWS CLI is not installed at {aws} (run scripts/install-test-deps)"
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.root), **self.env,
               "AWS_EC2_METADATA_DISABLED": "true"}
        done = subprocess.run([str(aws), "--endpoint-url", self.endpoint, *args], env=env, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, f"aws {' '.join(args)} → {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        return done

    def list_parts(self, key: str, upload_id: str) -> list[dict]:
        parts: list[dict] = []
        marker = 0
        while True:
            page = self.client().list_parts(Bucket=BUCKET, Key=key, UploadId=upload_id, PartNumberMarker=marker)
            parts += page.get("Parts", [])
            if not page.get("IsTruncated"):
                return parts
            marker = int(page["NextPartNumberMarker"])

    def uploads(self, prefix: str = "") -> list[dict]:
        return self.client().list_multipart_uploads(Bucket=BUCKET, Prefix=prefix).get("Uploads", [])

    def get(self, key: str) -> bytes:
        return self.client().get_object(Bucket=BUCKET, Key=key)["Body"].read()
