"""A forward HTTP proxy that turns host-style Blob URLs into the emulator's path-style URLs.

Why it exists: AzCopy 10.18's `list` command refuses any URL whose host is an IP address
(`InferArgumentLocation` maps an IPv4 host to "Unknown", and `list` accepts only Blob/File/DFS),
while the emulator is path-style on 127.0.0.1 and the machine has no DNS. So `azcopy list` is
given `http://ACCOUNT.blob.localhost/CONTAINER?SAS` and `HTTP_PROXY` pointing here; Go sends
the absolute URL to this proxy, which forwards `/CONTAINER?…` as `/ACCOUNT/CONTAINER?…` to the
emulator and streams the answer back unchanged. SAS signatures do not cover the host, so they
still verify. Only loopback is involved. Thread-per-connection; stop with `close()`.
"""
from __future__ import annotations

import http.client
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade"}
HOST_SUFFIX = ".blob.localhost"


class HostStyleProxy:
    """Runs the proxy on 127.0.0.1:<free port> in a background thread."""

    def __init__(self, emulator_host: str, emulator_port: int):
        target = (emulator_host, emulator_port)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet: the test reports what matters
                pass

            def forward(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                host = (url.hostname or "").lower()
                if not host.endswith(HOST_SUFFIX):
                    self.send_error(502, f"not a host-style blob URL: {host}")
                    return
                account = host[: -len(HOST_SUFFIX)].split(".")[-1]
                path = f"/{account}{url.path or '/'}" + (f"?{url.query}" if url.query else "")
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"host"}}
                upstream = http.client.HTTPConnection(*target, timeout=120)
                try:
                    upstream.request(self.command, path, body=body, headers=headers)
                    response = upstream.getresponse()
                    self.send_response_only(response.status, response.reason)
                    for name, value in response.getheaders():
                        if name.lower() not in HOP_BY_HOP:
                            self.send_header(name, value)
                    self.end_headers()
                    while chunk := response.read(1 << 16):
                        self.wfile.write(chunk)
                finally:
                    upstream.close()

            do_GET = do_HEAD = do_PUT = do_DELETE = do_POST = forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def blob_url(self, account: str, container: str, sas: str) -> str:
        """The host-style URL AzCopy is given; the port is unused (the proxy is the next hop)."""
        return f"http://{account}{HOST_SUFFIX}/{container}?{sas}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
