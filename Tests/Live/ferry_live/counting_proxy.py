"""A reverse HTTP proxy on 127.0.0.1 that counts the requests passing through it.

Why it exists: to prove from outside Ferry how many requests a command sent to SeaweedFS (for
example that `ferry rm -r` deletes 2,500 keys with three DeleteObjects POSTs, not 2,500 DELETEs).
The Host header is forwarded unchanged, so SigV4 signatures (which cover it) still verify.
Thread-per-connection; stop with `close()`.
"""
from __future__ import annotations

import http.client
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "expect"}


class CountingProxy:
    """Forwards every request to `target_host:target_port` and records (method, path?query)."""

    def __init__(self, target_host: str, target_port: int):
        self.requests: list[tuple[str, str]] = []
        lock = threading.Lock()
        recorded = self.requests

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def forward(self) -> None:
                with lock:
                    recorded.append((self.command, self.path))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                upstream = http.client.HTTPConnection(target_host, target_port, timeout=120)
                try:
                    upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                    for name, value in headers.items():
                        upstream.putheader(name, value)
                    upstream.endheaders(body)
                    response = upstream.getresponse()
                    data = response.read()
                    self.send_response_only(response.status, response.reason)
                    for name, value in response.getheaders():
                        if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                            self.send_header(name, value)
                    if self.command == "HEAD":
                        self.send_header("Content-Length", response.getheader("Content-Length") or "0")
                        self.end_headers()
                    else:
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data)
                finally:
                    upstream.close()

            do_GET = do_HEAD = do_PUT = do_DELETE = do_POST = forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="counting-proxy", daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def count(self, method: str, query_has: str | None = None) -> int:
        """Requests with `method` (and, if given, `query_has` in the query string)."""
        def has(path: str) -> bool:
            items = path.partition("?")[2].split("&")
            return any(item == query_has or item.startswith(query_has + "=") for item in items)
        return sum(1 for m, path in list(self.requests) if m == method and (query_has is None or has(path)))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
