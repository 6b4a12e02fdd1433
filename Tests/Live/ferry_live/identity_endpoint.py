"""A managed-identity token endpoint of the App Service kind, as Azure runs one beside an app:
`GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://storage.azure.com` with the
secret `X-IDENTITY-HEADER` answers `{"access_token", "expires_on", "resource", "token_type"}`.

An honest token server, not a mock of Azure Storage: it checks what the protocol requires
(header, api-version, resource) and hands out the token the emulator was started with
(`ferry-emulator --bearer-token`), with the lifetime a test chooses. It counts the tokens it
issued, so a test sees Ferry sign in again. Runs on 127.0.0.1:0 in a thread; `stop()` ends it.
"""
from __future__ import annotations

import base64
import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _segment(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def make_token(tenant: str = "tenant-live", client_id: str = "mi-client-live", object_id: str = "mi-object-live") -> str:
    """A JWT-shaped token naming a principal (the static-token emulator does not verify claims);
    a random signature part makes it a secret to search for."""
    header = {"alg": "RS256", "typ": "JWT"}
    claims = {"aud": "https://storage.azure.com", "tid": tenant, "appid": client_id, "oid": object_id,
              "exp": int(time.time()) + 86400}
    signature = base64.urlsafe_b64encode(os.urandom(48)).decode().rstrip("=")
    return f"{_segment(header)}.{_segment(claims)}.{signature}"


class IdentityEndpoint:
    def __init__(self, token: str, identity_header: str, lifetime_seconds: int = 3600):
        self.token = token
        self.identity_header = identity_header
        self.lifetime_seconds = lifetime_seconds
        self.issued = 0
        self.refused = 0
        self._lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
                ok = (self.headers.get("X-IDENTITY-HEADER") == endpoint.identity_header
                      and query.get("api-version") == ["2019-08-01"]
                      and query.get("resource") == ["https://storage.azure.com"])
                if not ok:
                    with endpoint._lock:
                        endpoint.refused += 1
                    body = json.dumps({"statusCode": 400, "message": "Unable to load the proper Managed Identity."})
                    self._answer(400, body.encode())
                    return
                with endpoint._lock:
                    endpoint.issued += 1
                body = json.dumps({"access_token": endpoint.token,
                                   "expires_on": str(int(time.time()) + endpoint.lifetime_seconds),
                                   "resource": "https://storage.azure.com", "token_type": "Bearer",
                                   "client_id": "mi-client-live"})
                self._answer(200, body.encode())

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # keep test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/msi/token"

    def environment(self, header: str | None = None) -> dict[str, str]:
        """IDENTITY_ENDPOINT + IDENTITY_HEADER as App Service sets them (`header` overrides)."""
        return {"IDENTITY_ENDPOINT": self.url, "IDENTITY_HEADER": header or self.identity_header}

    def start(self) -> "IdentityEndpoint":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
