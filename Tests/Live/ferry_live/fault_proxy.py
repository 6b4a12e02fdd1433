"""A fault-injecting TCP proxy on 127.0.0.1 for an HTTP/1.1 server (SeaweedFS in the fault suite).

It forwards bytes both ways unchanged except where a seeded fault lands. To hit message bodies
(never headers, which would only confuse the framing), each direction is followed as HTTP/1.1:
head up to the blank line, then `Content-Length` bytes of body (requests and responses; a 1xx
response or a response to HEAD has none). Where it cannot follow the framing (chunked bodies,
anything unexpected) it stops injecting on that connection and forwards blindly.

At the start of each body of at least `min_body` bytes one fault may be chosen, with the
configured probabilities, from a `random.Random` seeded by (seed, connection number, message
number):
- `reset`: the connection is closed with RST (both sides) at a random offset in the body;
- `stall`: forwarding pauses `stall_seconds` at a random offset in the body;
- `flip`: one byte at a random offset in the body is XOR-ed with a non-zero value.
Flips and resets are chosen per direction (`request` = client→server, `response` = back).

Counters (`stats()`): faults injected by kind and direction, body bytes forwarded each way, and
the bytes of bodies that a fault spoiled (they must be sent again: `spoiled_body_bytes`).
Thread-per-connection-direction; `close()` stops the listener and every connection.
"""
from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass


@dataclass
class FaultRates:
    reset: float = 0.0
    stall: float = 0.0
    flip: float = 0.0
    stall_seconds: float = 1.0
    min_body: int = 4096
    directions: tuple[str, ...] = ("request", "response")


class _Abort(Exception):
    """The connection was reset on purpose."""


class _Direction:
    """Follows the HTTP/1.1 framing of one direction and applies this direction's faults."""

    def __init__(self, proxy: "FaultProxy", name: str, connection: int, methods: list[str]):
        self.proxy = proxy
        self.name = name
        self.connection = connection
        self.methods = methods      # request methods in order (the response side pops them)
        self.head = bytearray()
        self.body_left = 0
        self.opaque = False         # framing not followed any more: forward blindly
        self.messages = 0
        self.fault: tuple[str, int] | None = None  # (kind, offset in the current body)
        self.body_offset = 0
        self.body_size = 0

    def _start_body(self, size: int) -> None:
        self.body_left = self.body_size = size
        self.body_offset = 0
        self.fault = None
        self.messages += 1
        rates = self.proxy.rates
        if size < rates.min_body or self.name not in rates.directions or self.proxy.paused:
            return
        rng = random.Random(f"{self.proxy.seed}:{self.connection}:{self.name}:{self.messages}")
        roll = rng.random()
        offset = rng.randrange(1, size)
        if roll < rates.reset:
            self.fault = ("reset", offset)
        elif roll < rates.reset + rates.stall:
            self.fault = ("stall", offset)
        elif roll < rates.reset + rates.stall + rates.flip:
            self.fault = ("flip", offset)

    def _end_head(self) -> None:
        text = bytes(self.head).decode("latin-1")
        self.head.clear()
        lines = text.split("\r\n")
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            self.opaque = True
            return
        length = int(headers.get("content-length", "0") or 0)
        if self.name == "request":
            self.methods.append(lines[0].split(" ", 1)[0])
        else:
            status = int(lines[0].split(" ")[1])
            if 100 <= status < 200:
                return  # 100 Continue: the final response follows
            method = self.methods.pop(0) if self.methods else "GET"
            if method == "HEAD" or status in (204, 304):
                length = 0
        if length:
            self._start_body(length)

    def process(self, data: bytes) -> list[tuple[str, bytes | float]]:
        """Returns the actions for `data`: ("send", bytes), ("stall", seconds), ("reset", 0)."""
        actions: list[tuple[str, bytes | float]] = []
        position = 0
        while position < len(data):
            if self.opaque:
                actions.append(("send", data[position:]))
                break
            if self.body_left == 0:
                before = len(self.head)
                self.head += data[position:]
                end = self.head.find(b"\r\n\r\n", max(0, before - 3))
                if end < 0:
                    if len(self.head) > 65536:
                        self.opaque = True
                    actions.append(("send", data[position:]))
                    break
                consumed = end + 4 - before  # bytes of `data` that finish this head
                del self.head[end + 4:]
                actions.append(("send", data[position:position + consumed]))
                position += consumed
                try:
                    self._end_head()
                except (ValueError, IndexError):
                    self.opaque = True
                continue
            take = min(self.body_left, len(data) - position)
            chunk = bytearray(data[position:position + take])
            if self.fault is not None and self.body_offset <= self.fault[1] < self.body_offset + take:
                kind, at = self.fault
                local = at - self.body_offset
                self.proxy._count(kind, self.name, self.body_size)
                self.fault = None
                if kind == "reset":
                    actions.append(("send", bytes(chunk[:local])))
                    actions.append(("reset", 0.0))
                    return actions
                if kind == "stall":
                    actions.append(("send", bytes(chunk[:local])))
                    actions.append(("stall", self.proxy.rates.stall_seconds))
                    chunk = chunk[local:]
                    self.proxy._add_body(self.name, local)
                    self.body_offset += local
                    self.body_left -= local
                    position += local
                    take -= local
                else:
                    chunk[local] ^= random.Random(f"{self.proxy.seed}:{self.connection}:{at}").randrange(1, 256)
            actions.append(("send", bytes(chunk)))
            self.proxy._add_body(self.name, take)
            self.body_offset += take
            self.body_left -= take
            position += take
        return actions


def _reset(sock: socket.socket) -> None:
    """Abortive close. `shutdown` first: it wakes the other direction's thread blocked in `recv`
    on this socket (a bare `close` would not, and the peer would never learn of the reset)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class FaultProxy:
    """Listens on 127.0.0.1:<free port> and forwards to `target_port` with seeded faults."""

    def __init__(self, target_port: int, seed: int, rates: FaultRates | None = None):
        self.target_port = target_port
        self.seed = seed
        self.rates = rates or FaultRates()
        self.paused = False
        self._lock = threading.Lock()
        self.faults: Counter[str] = Counter()
        self.body_bytes: Counter[str] = Counter()
        self.spoiled_body_bytes = 0
        self._connections = 0
        self._sockets: set[socket.socket] = set()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self.port = self._listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- counters -------------------------------------------------------------------------------
    def _count(self, kind: str, direction: str, body_size: int) -> None:
        with self._lock:
            self.faults[f"{kind}-{direction}"] += 1
            if kind != "stall":
                self.spoiled_body_bytes += body_size

    def _add_body(self, direction: str, count: int) -> None:
        with self._lock:
            self.body_bytes[direction] += count

    def stats(self) -> dict:
        with self._lock:
            return {"faults": dict(self.faults), "faultsInjected": sum(self.faults.values()),
                    "bodyBytes": dict(self.body_bytes), "spoiledBodyBytes": self.spoiled_body_bytes,
                    "connections": self._connections}

    # --- forwarding -----------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._connections += 1
                number = self._connections
            threading.Thread(target=self._serve, args=(client, number), daemon=True).start()

    def _serve(self, client: socket.socket, number: int) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=30)
        except OSError:
            _reset(client)
            return
        upstream.settimeout(None)
        with self._lock:
            self._sockets.update((client, upstream))
        methods: list[str] = []
        pair = (client, upstream)
        finished: list[str] = []

        def pump(source: socket.socket, sink: socket.socket, direction: _Direction) -> None:
            try:
                while True:
                    data = source.recv(65536)
                    if not data:
                        try:
                            sink.shutdown(socket.SHUT_WR)
                        except OSError:
                            pass
                        return
                    for action, value in direction.process(data):
                        if action == "send":
                            sink.sendall(value)  # type: ignore[arg-type]
                        elif action == "stall":
                            time.sleep(value)  # type: ignore[arg-type]
                        else:
                            raise _Abort()
            except (_Abort, OSError):
                for sock in pair:
                    _reset(sock)
            finally:
                with self._lock:
                    finished.append(direction.name)
                    last = len(finished) == 2
                    if last:
                        self._sockets.difference_update(pair)
                if last:
                    for sock in pair:
                        try:
                            sock.close()
                        except OSError:
                            pass

        request = _Direction(self, "request", number, methods)
        response = _Direction(self, "response", number, methods)
        threading.Thread(target=pump, args=(upstream, client, response), daemon=True).start()
        pump(client, upstream, request)

    def close(self) -> None:
        self._closed = True
        try:
            self._listener.close()
        except OSError:
            pass
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            _reset(sock)
