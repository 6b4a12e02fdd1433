"""A managed-identity token endpoint, as Azure runs one beside an app or a VM:
- App Service: `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://storage.azure.com`
  with the secret `X-IDENTITY-HEADER` answers `{"access_token", "expires_on", "resource", "token_type"}`;
- instance metadata (IMDS, reached through AZURE_POD_IDENTITY_AUTHORITY_HOST):
  `GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=…` with `Metadata: true`
  answers with `expires_in` and `expires_on` as strings. Optionally over TLS (`tls=(cert, key)`).

An honest token server, not a mock of Azure Storage: it checks what the protocol requires
(header, api-version, resource) and hands out the token the emulator was started with
(`ferry-emulator --bearer-token`), with the lifetime a test chooses. It counts the tokens it
issued, so a test sees Ferry sign in again. Runs on 127.0.0.1:0 in a thread; `stop()` ends it.
"""
from __future__ import annotations

import base64
import json
import os
import ssl
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
    def __init__(self, token: str, identity_header: str, lifetime_seconds: int = 3600,
                 tls: tuple[str, str] | None = None):
        self.token = token
        self.identity_header = identity_header
        self.lifetime_seconds = lifetime_seconds
        self.issued = 0
        self.refused = 0
        self._lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                parsed = urllib.parse.urlparse(self.path)
                query = urllib.parse.parse_qs(parsed.query)
                if parsed.path == "/metadata/identity/oauth2/token":
                    self._instance_metadata(query)
                    return
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

            def _instance_metadata(self, query: dict) -> None:
                if (self.headers.get("Metadata") != "true" or query.get("api-version") != ["2018-02-01"]
                        or query.get("resource") != ["https://storage.azure.com"]):
                    with endpoint._lock:
                        endpoint.refused += 1
                    self._answer(400, b'{"error":"invalid_request","error_description":"Required metadata header not specified"}')
                    return
                with endpoint._lock:
                    endpoint.issued += 1
                now = int(time.time())
                body = json.dumps({"access_token": endpoint.token, "expires_in": str(endpoint.lifetime_seconds),
                                   "expires_on": str(now + endpoint.lifetime_seconds), "not_before": str(now),
                                   "resource": "https://storage.azure.com", "token_type": "Bearer"})
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
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def host(self) -> str:
        """`scheme://127.0.0.1:PORT`: the AZURE_POD_IDENTITY_AUTHORITY_HOST value."""
        return f"{self.scheme}://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.host}/msi/token"

    def environment(self, header: str | None = None) -> dict[str, str]:
        """IDENTITY_ENDPOINT + IDENTITY_HEADER as App Service sets them (`header` overrides)."""
        return {"IDENTITY_ENDPOINT": self.url, "IDENTITY_HEADER": header or self.identity_header}

    def start(self) -> "IdentityEndpoint":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
