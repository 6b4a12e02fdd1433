"""Microsoft's Python SDK pointed at the emulator: clients, SAS tokens (signed by the SDK's own
code, so the emulator is checked against Microsoft's signing), and small request helpers."""
from __future__ import annotations

import base64
import hashlib
import http.client
import itertools
import re
import urllib.parse
from datetime import datetime, timedelta, timezone

from azure.storage.blob import (
    AccountSasPermissions,
    BlobServiceClient,
    ContainerClient,
    ContainerSasPermissions,
    LinearRetry,
    ResourceTypes,
    generate_account_sas,
    generate_container_sas,
)

from .emulator import EmulatorProcess

_names = itertools.count()


def unique_name(prefix: str = "c") -> str:
    """A container name unique within this test run (3–63 chars of [a-z0-9-])."""
    return f"{prefix}-{next(_names):05d}"


def no_retry() -> LinearRetry:
    """A retry policy that never retries, so a test sees the first answer."""
    return LinearRetry(retry_total=0, backoff=0, random_jitter_range=0)


def fast_retry(total: int = 5) -> LinearRetry:
    """Retries without sleeping (the SDK's default waits 15 s+ between tries)."""
    return LinearRetry(retry_total=total, backoff=0, random_jitter_range=0)


def service_client(emulator: EmulatorProcess, **kwargs) -> BlobServiceClient:
    """Shared Key client from the emulator's connection string (kwargs go to the SDK)."""
    kwargs.setdefault("retry_policy", fast_retry())
    return BlobServiceClient.from_connection_string(emulator.connection_string, **kwargs)


def new_container(emulator: EmulatorProcess, prefix: str = "c", **kwargs) -> ContainerClient:
    """Creates a fresh container and returns a Shared Key client for it."""
    container = service_client(emulator, **kwargs).get_container_client(unique_name(prefix))
    container.create_container()
    return container


def account_sas(emulator: EmulatorProcess, permission: str = "rwdlac", resource_types: str = "sco",
                expiry: datetime | None = None, start: datetime | None = None,
                account_key: str | None = None) -> str:
    """An account SAS token (query string without `?`) signed by the SDK."""
    now = datetime.now(timezone.utc)
    return generate_account_sas(
        emulator.account, account_key or emulator.key,
        resource_types=ResourceTypes.from_string(resource_types),
        permission=AccountSasPermissions.from_string(permission),
        expiry=expiry or now + timedelta(hours=2),
        start=start or now - timedelta(minutes=5),
    )


def container_sas(emulator: EmulatorProcess, container: str, permission: str = "racwdl",
                  expiry: datetime | None = None, start: datetime | None = None) -> str:
    """A service SAS token for one container, signed by the SDK."""
    now = datetime.now(timezone.utc)
    return generate_container_sas(
        emulator.account, container, account_key=emulator.key,
        permission=ContainerSasPermissions.from_string(permission),
        expiry=expiry or now + timedelta(hours=2),
        start=start or now - timedelta(minutes=5),
    )


def container_url(emulator: EmulatorProcess, container: str, sas: str | None = None) -> str:
    url = f"{emulator.url}/{container}"
    return f"{url}?{sas}" if sas else url


def sas_container_client(emulator: EmulatorProcess, container: str, sas: str, **kwargs) -> ContainerClient:
    kwargs.setdefault("retry_policy", no_retry())
    return ContainerClient.from_container_url(container_url(emulator, container), credential=sas, **kwargs)


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def redact(text: str) -> str:
    """Drops SAS signatures from URLs and command lines before they reach an assertion message."""
    return _SIG.sub(r"\1REDACTED", text)


_SIG = re.compile(r"((?:^|[?&\s])sig=)[^&\s\"']+")


def raw_get(emulator: EmulatorProcess, path_and_query: str, headers: dict | None = None,
            timeout: float = 30) -> tuple[int, dict, bytes]:
    """One plain HTTP GET (for checks the SDK hides, e.g. the Content-Range of a 416)."""
    conn = http.client.HTTPConnection(emulator.host, emulator.port, timeout=timeout)
    try:
        conn.request("GET", f"/{emulator.account}/{path_and_query.lstrip('/')}", headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def quote_blob(name: str) -> str:
    return urllib.parse.quote(name, safe="/")
