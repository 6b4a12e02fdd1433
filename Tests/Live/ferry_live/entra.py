"""An emulator serving TLS with an Entra ID directory, as Microsoft's clients need it.

`EntraEmulator.start(tmp_path, start_emulator, principals=[...])` makes a CA and a server
certificate (`tls.TestCA`), writes the principals file, starts `ferry-emulator --tls-cert …
--tls-key … --principals FILE`, and offers what azure-identity needs: the authority
(`127.0.0.1:PORT`), the CA file, and helpers to mint federated tokens and read the issued-token log.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ferry_live.emulator import EmulatorProcess
from ferry_live.tls import TestCA

READER = "Storage Blob Data Reader"
CONTRIBUTOR = "Storage Blob Data Contributor"
OWNER = "Storage Blob Data Owner"


def principal(name: str, roles: list[tuple[str, str]], **extra: object) -> dict:
    """A principals-file entry with fresh IDs; `roles` as (role, scope) pairs."""
    entry = {"displayName": name, "clientId": str(uuid.uuid4()), "objectId": str(uuid.uuid4()),
             "roles": [{"role": role, "scope": scope} for role, scope in roles]}
    entry.update(extra)
    return entry


@dataclass
class EntraEmulator:
    emulator: EmulatorProcess
    ca: TestCA
    tenant: str
    principals: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def start(cls, tmp_path: Path, start_emulator: Callable[..., EmulatorProcess], principals: list[dict],
              token_lifetime_seconds: int = 3600, clock_skew_seconds: int = 300,
              identity_header: str | None = None, extra_args: tuple[str, ...] = ()) -> "EntraEmulator":
        ca = TestCA(tmp_path / "pki")
        server = ca.server_certificate()
        tenant = str(uuid.uuid4())
        document = {"tenantId": tenant, "tokenLifetimeSeconds": token_lifetime_seconds,
                    "clockSkewSeconds": clock_skew_seconds, "principals": principals}
        if identity_header is not None:
            document["identityHeader"] = identity_header
        path = tmp_path / "principals.json"
        path.write_text(json.dumps(document, indent=2))
        emulator = start_emulator("--tls-cert", str(server.cert), "--tls-key", str(server.key),
                                  "--principals", str(path), *extra_args)
        assert emulator.scheme == "https", f"the emulator did not announce https: {emulator.url}"
        return cls(emulator, ca, tenant, {p["displayName"]: p for p in principals})

    @property
    def authority(self) -> str:
        """What azure-identity takes as `authority` (it adds https://)."""
        return f"{self.emulator.host}:{self.emulator.port}"

    @property
    def ca_file(self) -> str:
        return str(self.ca.cert)

    @property
    def account_url(self) -> str:
        return self.emulator.url

    def federated_token(self, subject: str, **fields: object) -> str:
        status, body = self.emulator.admin("POST", "federated-token", {"subject": subject, **fields})
        assert status == 200, f"POST /__ferry/federated-token → {status} {body}"
        return body["token"]  # type: ignore[index]

    def issued_tokens(self) -> list[dict]:
        status, body = self.emulator.admin("GET", "issued-tokens")
        assert status == 200, f"GET /__ferry/issued-tokens → {status} {body}"
        return body["tokens"]  # type: ignore[index]
