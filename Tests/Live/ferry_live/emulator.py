"""A running `ferry-emulator` process, as the live tests see it.

One `EmulatorProcess` owns one child process at a time and always reaps it (`stop()`), so a test
that fails half-way never leaves a server behind. Not thread-safe: one test drives it.
"""
from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

DEV_ACCOUNT = "devstoreaccount1"
DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
START_TIMEOUT_SECONDS = 30
LISTENING = re.compile(r"listening on (https?)://([0-9.]+):(\d+)")


class EmulatorStartError(AssertionError):
    """The emulator did not announce `listening on …` in time (a failure, never a skip)."""


def emulator_binary() -> str:
    """`$FERRY_EMULATOR_BIN`, else the debug build of this checkout; fails the test if absent."""
    path = os.environ.get("FERRY_EMULATOR_BIN")
    if not path:
        repo = Path(__file__).resolve().parents[3]
        path = str(repo / ".build" / "debug" / "ferry-emulator")
    if not os.access(path, os.X_OK):
        raise EmulatorStartError(f"ferry-emulator binary not found or not executable: {path} "
                                 "(build it with `swift build --product ferry-emulator` or set FERRY_EMULATOR_BIN)")
    return path


@dataclass
class EmulatorProcess:
    """Starts, restarts and kills `ferry-emulator --port 0 --location DIR`."""

    location: Path
    log_dir: Path
    extra_args: list[str] = field(default_factory=list)
    account: str = DEV_ACCOUNT
    key: str = DEV_KEY
    host: str = "127.0.0.1"
    port: int = 0
    scheme: str = "http"
    process: subprocess.Popen | None = None
    starts: int = 0
    _stdout_lines: "queue.Queue[str | None]" = field(default_factory=queue.Queue)

    # --- addresses ----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}/{self.account}"

    @property
    def base_url(self) -> str:
        """`https://127.0.0.1:PORT` (the issuer's authority) or `http://…` without TLS."""
        return f"{self.scheme}://{self.host}:{self.port}"

    @property
    def connection_string(self) -> str:
        return (f"DefaultEndpointsProtocol={self.scheme};AccountName={self.account};AccountKey={self.key};"
                f"BlobEndpoint={self.url};")

    @property
    def pid(self) -> int:
        assert self.process is not None, "emulator is not running"
        return self.process.pid

    @property
    def stderr_path(self) -> Path:
        return self.log_dir / f"emulator-stderr-{self.starts}.log"

    # --- life cycle ---------------------------------------------------------------------------
    def start(self, extra_args: list[str] | None = None) -> "EmulatorProcess":
        """Starts the server and waits for its `listening on` line (30 s, else the test fails)."""
        assert self.process is None, "emulator already running"
        if extra_args is not None:
            self.extra_args = list(extra_args)
        self.starts += 1
        self.log_dir.mkdir(parents=True, exist_ok=True)
        argv = [emulator_binary(), "--port", "0", "--location", str(self.location)] + self.extra_args
        stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=stderr, text=True, bufsize=1)
        stderr.close()
        self._stdout_lines = queue.Queue()
        threading.Thread(target=self._drain_stdout, args=(self.process, self._stdout_lines),
                         daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        seen: list[str] = []
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self._stdout_lines.get(timeout=max(0.0, remaining))
            except queue.Empty:
                self.stop()
                raise EmulatorStartError(self._start_failure(f"no 'listening on' line within "
                                                             f"{START_TIMEOUT_SECONDS} s", seen))
            if line is None:
                code = self.process.wait()
                self.process = None
                raise EmulatorStartError(self._start_failure(f"exited with {code} before listening", seen))
            seen.append(line)
            match = LISTENING.search(line)
            if match:
                self.scheme, self.host, self.port = match.group(1), match.group(2), int(match.group(3))
                return self

    @staticmethod
    def _drain_stdout(process: subprocess.Popen, lines: "queue.Queue[str | None]") -> None:
        # Keeps reading so a chatty server never blocks on a full pipe.
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    def _start_failure(self, what: str, stdout_lines: list[str]) -> str:
        return (f"ferry-emulator {what}; argv extra={self.extra_args}\n"
                f"stdout: {stdout_lines[-20:]}\nstderr tail:\n{self.stderr_tail()}")

    def stderr_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.stderr_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no stderr log)"

    def terminate(self, timeout: float = 15) -> int:
        """SIGTERM and wait; returns the exit code (SIGKILL if it does not stop in time)."""
        assert self.process is not None, "emulator is not running"
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process = None
        return code

    def kill9(self) -> int:
        """SIGKILL, as a crash would; returns the (negative) exit code."""
        assert self.process is not None, "emulator is not running"
        self.process.send_signal(signal.SIGKILL)
        code = self.process.wait()
        self.process = None
        return code

    def restart(self, hard: bool = False) -> int:
        """Stops (SIGTERM, or SIGKILL when `hard`) and starts again on the same location.

        Returns the stop's exit code. The port changes (port 0): build new clients afterwards.
        """
        code = self.kill9() if hard else self.terminate()
        self.start()
        return code

    def stop(self) -> None:
        """Always safe: ends the process if it is running."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            self.process.wait()
        self.process = None

    # --- /proc ----------------------------------------------------------------------------------
    def peak_rss_bytes(self) -> int:
        """The kernel's high-water mark of resident memory (`VmHWM`) for the server process."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        assert match, "no VmHWM in /proc status"
        return int(match.group(1)) * 1024

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    # --- admin endpoint ---------------------------------------------------------------------------
    def admin(self, method: str, path: str, body: object | None = None) -> tuple[int, object]:
        """Calls `/__ferry/<path>` (plain http, which a TLS port answers too); returns (status, parsed JSON or text)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            payload = None if body is None else json.dumps(body).encode()
            headers = {"Content-Type": "application/json"} if payload is not None else {}
            conn.request(method, f"/__ferry/{path.lstrip('/')}", body=payload, headers=headers)
            response = conn.getresponse()
            raw = response.read().decode("utf-8", errors="replace")
        finally:
            conn.close()
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, raw

    def set_faults(self, rules: list[str], seed: int = 1) -> dict:
        status, body = self.admin("PUT", "faults", {"seed": seed, "rules": rules})
        assert status == 200, f"PUT /__ferry/faults {rules} → {status} {body}"
        return body  # type: ignore[return-value]

    def clear_faults(self) -> None:
        status, body = self.admin("DELETE", "faults")
        assert status == 200, f"DELETE /__ferry/faults → {status} {body}"

    def faults(self) -> dict:
        status, body = self.admin("GET", "faults")
        assert status == 200, f"GET /__ferry/faults → {status} {body}"
        return body  # type: ignore[return-value]

    def stats(self) -> dict:
        status, body = self.admin("GET", "stats")
        assert status == 200, f"GET /__ferry/stats → {status} {body}"
        return body  # type: ignore[return-value]

    def reset_stats(self) -> None:
        status, body = self.admin("DELETE", "stats")
        assert status == 200, f"DELETE /__ferry/stats → {status} {body}"
