"""Signals beyond the first Ctrl-C (test_copy_cancel.py has that one): SIGTERM — what CI runners
and Kubernetes send before SIGKILL — stops a copy the same way (exit 2, resumable); a second
SIGINT exits at once and still leaves a job database that `ferry jobs resume` completes; and a
resume of a job started with a SAS URL, run without credentials, says that credentials are never
stored and shows the `--destination` to pass (the SAS itself is in no message)."""
from __future__ import annotations

import signal
import time

from ferry_live.blobs import container_sas, new_container, service_client
from ferry_live.ferry_cli import ferry_for, only_job_id, parse_ndjson, wait_until
from ferry_live.files import write_random_file

MiB = 1 << 20
SLOW = ["--block-size-mb", "1", "--concurrency", "4", "--cap-mbps", "32"]  # ~4 MB/s: ~8 s for 32 MiB


def start_slow_upload(emulator, tmp_path, ferry, seed: int, url: str | None = None):
    container = new_container(emulator, prefix="signal").container_name
    source = write_random_file(tmp_path / "src" / "big.bin", 32 * MiB, seed)
    target = url or f"{emulator.url}/{container}/big.bin"
    process = ferry.start("copy", str(source), target.format(container=container), *SLOW, "--output-type", "json")
    wait_until(lambda: len(emulator.stats()["putBlocks"]) >= 4 or process.poll() is not None, what="4 Put Blocks")
    assert process.poll() is None, "ferry finished before the signal"
    return container, source, process


def assert_blob_is(emulator, container: str, source) -> None:
    blob = service_client(emulator).get_blob_client(container, "big.bin")
    assert blob.download_blob().readall() == source.read_bytes()


def test_sigterm_stops_within_5_s_and_the_job_resumes(emulator, tmp_path):
    ferry = ferry_for(tmp_path, emulator)
    emulator.reset_stats()
    container, source, process = start_slow_upload(emulator, tmp_path, ferry, 71)
    signalled = time.monotonic()
    process.send_signal(signal.SIGTERM)
    code = process.wait(timeout=60)
    stopped_after = time.monotonic() - signalled
    stdout, stderr = ferry.background_output()
    assert code == 2, f"SIGTERM → exit {code}\n{stdout[-1500:]}\n{stderr[-1500:]}"
    assert stopped_after <= 5, f"SIGTERM took {stopped_after:.1f} s to stop"
    end = [e for e in parse_ndjson(stdout) if e.get("type") == "end"]
    assert end and end[-1]["state"] == "cancelled", stdout[-1500:]
    job = only_job_id(ferry.home)
    assert end[-1]["jobId"] == job, end[-1]
    ferry.run("jobs", "resume", job)
    assert_blob_is(emulator, container, source)


def test_second_sigint_exits_at_once_and_the_job_still_resumes(emulator, tmp_path):
    ferry = ferry_for(tmp_path, emulator)
    emulator.reset_stats()
    container, source, process = start_slow_upload(emulator, tmp_path, ferry, 72)
    process.send_signal(signal.SIGINT)
    time.sleep(0.05)
    signalled = time.monotonic()
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=60)
    stopped_after = time.monotonic() - signalled
    stdout, stderr = ferry.background_output()
    assert code != 0, f"a second Ctrl-C exited 0\n{stderr[-1500:]}"
    assert stopped_after <= 1, f"the second Ctrl-C took {stopped_after:.1f} s"
    job = only_job_id(ferry.home)
    # Whatever the database recorded, resuming from it delivers exactly the source's bytes.
    ferry.run("jobs", "resume", job)
    assert_blob_is(emulator, container, source)


def test_resume_without_credentials_explains_and_shows_the_flag(emulator, tmp_path):
    ferry = ferry_for(tmp_path, emulator, env={})
    emulator.reset_stats()
    probe = new_container(emulator, prefix="sasjob").container_name
    sas = container_sas(emulator, probe)
    signature = [part for part in sas.split("&") if part.startswith("sig=")][0]
    url = f"{emulator.url}/{probe}/big.bin?{sas}"
    source = write_random_file(tmp_path / "src" / "big.bin", 32 * MiB, 73)
    process = ferry.start("copy", str(source), url, *SLOW)
    wait_until(lambda: len(emulator.stats()["putBlocks"]) >= 4 or process.poll() is not None, what="4 Put Blocks")
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 2
    job = only_job_id(ferry.home)
    run = ferry.run("jobs", "resume", job, expect=None)
    assert run.returncode == 3, run.describe()  # authentication (README, Exit codes)
    message = run.stderr
    assert message.count("\n") == 1 and "never stores credentials" in message, message
    assert "--destination" in message and f"{emulator.url}/{probe}/big.bin" in message, message
    assert signature not in message and signature.split("=", 1)[1] not in message, message
    ferry.run("jobs", "resume", job, "--destination", url)
    assert_blob_is(emulator, probe, source)
