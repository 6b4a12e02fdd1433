"""The seeded fault suite: Ferry under injected faults and kill -9, checked without Ferry.

1. Every ferry-emulator fault kind (busy, timeout, drop, stall, corrupt-request on uploads;
   busy, timeout, drop, stall, corrupt on downloads) at a seeded rate on a small tree (multi-block
   files with 1 MiB blocks, small files): Ferry finishes by retrying, or fails cleanly (exit 1)
   and `ferry jobs resume` completes it. Then account limits (requests/s, ingress, egress) tight
   enough to refuse Ferry at its defaults, up and down.
2. SeaweedFS behind a fault-injecting TCP proxy (ferry_live/fault_proxy.py): seeded resets mid
   body, stalls and flipped bytes in both directions; uploads and downloads must end
   byte-identical (a flipped byte must be caught and sent again, never committed).
3. kill -9 at seeded random moments of uploads and downloads, on the emulator and on SeaweedFS,
   resumed alternately by `ferry jobs resume ID` and by a fresh runner (empty FERRY_HOME, the
   same `ferry copy`). After the kill no object or file under a final name may hold wrong bytes;
   after the resume everything is byte-identical and a download leaves only final files.
Every check reads the result with azure-storage-blob, boto3 or plain file reads. The last test
prints one summary line and fails if any file was wrong or no fault was injected at all.
Seeds: `FERRY_FAULT_SEED` (default in ferry_live/fault_trials.py); a failure names seed and trial.
`FERRY_FAULT_KILL_TRIALS` sets the kill trials per (store, direction) (default 10: 20 per direction).
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from ferry_live.blobs import new_container, service_client
from ferry_live.emulator import EmulatorProcess
from ferry_live.fault_proxy import FaultProxy, FaultRates
from ferry_live.fault_trials import (
    MiB,
    TALLY,
    assert_no_wrong_files,
    azure_blobs,
    check_store,
    s3_objects,
    check_download_after_kill,
    check_download_complete,
    kill9_after,
    make_tree,
    rng_for,
    suite_seed,
    trial,
)
from ferry_live.ferry_cli import Ferry, ferry_for, job_ids, key_env, parse_ndjson
from ferry_live.seaweed import BUCKET, SeaweedProcess

KILL_TRIALS = int(os.environ.get("FERRY_FAULT_KILL_TRIALS", "10"))
MAX_RESUMES = 10


# --- servers shared by the module ------------------------------------------------------------------
@pytest.fixture(scope="module")
def suite_emulator(tmp_path_factory) -> EmulatorProcess:
    root = tmp_path_factory.mktemp("fault-emulator")
    process = EmulatorProcess(location=root / "location", log_dir=root / "logs").start(
        ["--fault-seed", str(suite_seed())])
    yield process
    process.stop()
    shutil.rmtree(process.location, ignore_errors=True)


@pytest.fixture(scope="module")
def suite_seaweed(tmp_path_factory) -> SeaweedProcess:
    process = SeaweedProcess(tmp_path_factory.mktemp("fault-seaweed")).start()
    yield process
    process.stop()
    shutil.rmtree(process.root, ignore_errors=True)


# --- running Ferry to completion -------------------------------------------------------------------
def run_until_complete(ferry: Ferry, args: list[str], where: str) -> int:
    """Runs `ferry ARGS --output-type json`; a clean failure (exit 1) is resumed with
    `ferry jobs resume ID` until the job completes. Returns how many resumes it took."""
    run = ferry.run(*args, "--output-type", "json", expect=None, timeout=240)
    resumes = 0
    while True:
        assert run.returncode in (0, 1), f"{where}: not a clean end: {run.describe()}"
        parse_ndjson(run.stdout)  # stdout stays pure NDJSON under faults
        if run.returncode == 0:
            assert run.event("end")["state"] == "completed", run.describe()
            return resumes
        resumes += 1
        assert resumes <= MAX_RESUMES, f"{where}: still failing after {MAX_RESUMES} resumes: {run.describe()}"
        run = ferry.run("jobs", "resume", run.job_id, "--output-type", "json", expect=None, timeout=240)


def resume_after_kill(ferry: Ferry, fresh: Ferry, command: list[str], use_jobs_resume: bool, where: str) -> None:
    """`ferry jobs resume ID` with the killed run's FERRY_HOME, or the same command on `fresh`."""
    ids = job_ids(ferry.home)
    if use_jobs_resume and ids:
        assert len(ids) == 1, f"{where}: one job expected, found {ids}"
        run = ferry.run("jobs", "resume", ids[0], "--output-type", "json", expect=None, timeout=240)
        if run.returncode == 1:
            run_until_complete_job(ferry, ids[0], where)
            return
        assert run.returncode == 0, f"{where}: {run.describe()}"
        return
    run_until_complete(fresh, command, where)


def run_until_complete_job(ferry: Ferry, job: str, where: str) -> None:
    run = None
    for _ in range(MAX_RESUMES):
        run = ferry.run("jobs", "resume", job, "--output-type", "json", expect=None, timeout=240)
        if run.returncode == 0:
            return
        assert run.returncode == 1, f"{where}: {run.describe()}"
    raise AssertionError(f"{where}: job {job} did not complete after {MAX_RESUMES} resumes; last: {run.describe()}")


# --- 1. every emulator fault kind ------------------------------------------------------------------
UPLOAD_RULES = {
    "busy": "busy:ops=PutBlock+PutBlob+PutBlockList,rate=0.3",
    "timeout": "timeout:ops=PutBlock+PutBlob+PutBlockList,rate=0.25",
    "drop": "drop:ops=PutBlock+PutBlob,rate=0.25",
    "stall": "stall:ops=PutBlock+PutBlob,rate=0.2,seconds=1",
    "corrupt-request": "corrupt-request:ops=PutBlock+PutBlob,rate=0.3",
}
DOWNLOAD_RULES = {
    "busy": "busy:ops=GetBlob,rate=0.3",
    "timeout": "timeout:ops=GetBlob,rate=0.25",
    "drop": "drop:ops=GetBlob,rate=0.25",
    "stall": "stall:ops=GetBlob,rate=0.2,seconds=1",
    "corrupt": "corrupt:ops=GetBlob,rate=0.15",
}
EMULATOR_BIGS = [3 * MiB + 7, 2 * MiB + 5]
FAST = ["--block-size-mb", "1", "--concurrency", "4"]


@pytest.mark.parametrize("kind", ["busy", "timeout", "drop", "stall", "corrupt", "corrupt-request"])
def test_emulator_fault_kind(suite_emulator, tmp_path, kind):
    emulator = suite_emulator
    number = list(UPLOAD_RULES | DOWNLOAD_RULES).index(kind)
    source = tmp_path / "tree"
    expected = make_tree(source, 10 + number, EMULATOR_BIGS, 6)
    dataset = sum(len(d) for d in expected.values())
    container = new_container(emulator, prefix="fk").container_name
    url = f"{emulator.url}/{container}"
    ferry = ferry_for(tmp_path, emulator)

    # Upload under this kind's fault (a clean SDK upload where the kind only hits downloads).
    with trial(f"emulator-{kind}-upload"):
        if kind in UPLOAD_RULES:
            emulator.clear_faults()
            emulator.reset_stats()
            emulator.set_faults([UPLOAD_RULES[kind]], seed=suite_seed() + number)
            run_until_complete(ferry, ["copy", str(source), url, "--recursive", *FAST], f"{kind} upload")
            stats = emulator.stats()
            emulator.clear_faults()
            assert stats["faultsInjected"] > 0, f"{UPLOAD_RULES[kind]} injected nothing: {stats}"
            TALLY.faults_injected += stats["faultsInjected"]
            TALLY.bytes_resent += max(0, stats["bytesIn"] - dataset)
        else:
            client = service_client(emulator).get_container_client(container)
            for name, data in expected.items():
                client.upload_blob(f"tree/{name}", data)
        check_store(azure_blobs(emulator, container, "tree/"), expected, f"{kind} upload", complete=True)

    if kind not in DOWNLOAD_RULES:
        assert_no_wrong_files()
        return
    with trial(f"emulator-{kind}-download"):
        target = tmp_path / "down"
        target.mkdir()
        emulator.reset_stats()
        emulator.set_faults([DOWNLOAD_RULES[kind]], seed=suite_seed() + 100 + number)
        run_until_complete(ferry, ["copy", f"{url}/tree", str(target), "--recursive", *FAST], f"{kind} download")
        stats = emulator.stats()
        emulator.clear_faults()
        assert stats["faultsInjected"] > 0, f"{DOWNLOAD_RULES[kind]} injected nothing: {stats}"
        TALLY.faults_injected += stats["faultsInjected"]
        TALLY.bytes_resent += max(0, stats["bytesOut"] - dataset)
        check_download_complete(target / "tree", expected, f"{kind} download")
    assert_no_wrong_files()


def test_account_limits_up_and_down(suite_emulator, tmp_path):
    """Throttling as a property of load: the emulator's account limits, tight enough that Ferry at
    its defaults is refused at first; it must slow down, finish and deliver every byte."""
    emulator = suite_emulator
    source = tmp_path / "tree"
    expected = make_tree(source, 90, EMULATOR_BIGS, 30)
    container = new_container(emulator, prefix="limits").container_name
    url = f"{emulator.url}/{container}"
    ferry = ferry_for(tmp_path, emulator)
    limits = {"requests-per-second": 40, "ingress-mbps": 40, "egress-mbps": 40}
    target = tmp_path / "down"
    target.mkdir()
    for direction, args in (("upload", ["copy", str(source), url, "--recursive"]),
                            ("download", ["copy", f"{url}/tree", str(target), "--recursive"])):
        with trial(f"account-limits-{direction}"):
            assert emulator.admin("PUT", "account-limits", limits)[0] == 200
            emulator.reset_stats()
            run_until_complete(ferry, [*args, "--block-size-mb", "1"], f"account limits {direction}")
            refused = emulator.stats()["accountLimitRefusals"]["total"]
            emulator.admin("DELETE", "account-limits")
            assert refused > 0, f"limits {limits} refused nothing on {direction}: the trial proves nothing"
            TALLY.faults_injected += refused
    check_store(azure_blobs(emulator, container, "tree/"), expected, "account limits upload", complete=True)
    check_download_complete(target / "tree", expected, "account limits download")
    assert_no_wrong_files()


# --- 2. SeaweedFS behind the fault proxy -----------------------------------------------------------
S3_BIGS = [11 * MiB + 3, 6 * MiB + 1]
S3_FAST = ["--block-size-mb", "5", "--concurrency", "4"]


def test_fault_proxy_really_flips_and_resets(suite_seaweed):
    """The proxy itself: with every body faulted, boto3 (no retries of bad bytes: no checksums)
    sees flipped bytes of the same length; a reset fails the request. Proves the S3 rounds below
    fault what they claim to, so their byte-identical results mean something."""
    data = bytes(range(256)) * 256
    suite_seaweed.client().put_object(Bucket=BUCKET, Key="proxy-self/x.bin", Body=data)
    flipper = FaultProxy(suite_seaweed.port, seed=suite_seed(), rates=FaultRates(flip=1.0, directions=("response",)))
    try:
        import boto3
        from botocore.config import Config
        through = boto3.client("s3", endpoint_url=flipper.endpoint, aws_access_key_id=suite_seaweed.access_key,
                               aws_secret_access_key=suite_seaweed.secret_key, region_name="us-east-1",
                               config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                                             response_checksum_validation="when_required"))
        got = through.get_object(Bucket=BUCKET, Key="proxy-self/x.bin")["Body"].read()
        assert len(got) == len(data) and got != data, "a flip must change one byte, not the length"
        assert sum(a != b for a, b in zip(got, data)) == 1
        assert flipper.stats()["faults"] == {"flip-response": 1}
    finally:
        flipper.close()
    resetter = FaultProxy(suite_seaweed.port, seed=suite_seed(), rates=FaultRates(reset=1.0, directions=("response",)))
    try:
        through = boto3.client("s3", endpoint_url=resetter.endpoint, aws_access_key_id=suite_seaweed.access_key,
                               aws_secret_access_key=suite_seaweed.secret_key, region_name="us-east-1",
                               config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
        with pytest.raises(Exception):
            through.get_object(Bucket=BUCKET, Key="proxy-self/x.bin")["Body"].read()
        assert resetter.stats()["faults"].get("reset-response", 0) >= 1
    finally:
        resetter.close()


@pytest.mark.parametrize("round_number", [0, 1])
def test_s3_through_fault_proxy(suite_seaweed, tmp_path, round_number):
    seaweed = suite_seaweed
    rates = FaultRates(reset=0.15, stall=0.1, flip=0.2, stall_seconds=1.0, min_body=2048)
    proxy = FaultProxy(seaweed.port, seed=suite_seed() + 500 + round_number, rates=rates)
    try:
        source = tmp_path / "tree"
        expected = make_tree(source, 60 + round_number, S3_BIGS, 6)
        dataset = sum(len(d) for d in expected.values())
        prefix = f"proxy-{round_number}"
        ferry = ferry_for(tmp_path, env=seaweed.env)
        with trial(f"s3-proxy-{round_number}-upload"):
            run_until_complete(ferry, ["copy", str(source), f"s3://{BUCKET}/{prefix}/", "--recursive", *S3_FAST,
                                       "--s3-endpoint", proxy.endpoint], "s3 proxy upload")
            check_store(s3_objects(seaweed, f"{prefix}/tree/"), expected, "s3 proxy upload", complete=True)
        up = proxy.stats()
        with trial(f"s3-proxy-{round_number}-download"):
            target = tmp_path / "down"
            target.mkdir()
            run_until_complete(ferry, ["copy", f"s3://{BUCKET}/{prefix}/tree", str(target), "--recursive",
                                       *S3_FAST, "--s3-endpoint", proxy.endpoint], "s3 proxy download")
            check_download_complete(target / "tree", expected, "s3 proxy download")
        stats = proxy.stats()
        print(f"proxy round {round_number}: {stats}")
        assert up["faultsInjected"] > 0 and stats["faultsInjected"] > up["faultsInjected"], \
            f"the proxy injected no fault in one direction of travel: upload {up}, total {stats}"
        TALLY.faults_injected += stats["faultsInjected"]
        TALLY.bytes_resent += max(0, stats["bodyBytes"].get("request", 0) - dataset) \
            + max(0, stats["bodyBytes"].get("response", 0) - dataset)
    finally:
        proxy.close()
    assert_no_wrong_files()


# --- 3. kill -9 at seeded moments, resumed two ways ------------------------------------------------
KILL_AZURE_BIGS = [4 * MiB + 11, 2 * MiB + 3]
KILL_S3_BIGS = [11 * MiB + 5]
KILL_AZURE_ARGS = ["--block-size-mb", "1", "--concurrency", "4", "--cap-mbps", "40"]  # ~1.3 s
KILL_S3_ARGS = ["--block-size-mb", "5", "--concurrency", "3", "--cap-mbps", "80"]  # ~1.5 s


def kill_and_resume(tmp_path: Path, name: str, env: dict[str, str], command: list[str], index: int,
                    window: float) -> bool:
    """Starts `ferry COMMAND`, SIGKILLs it at a seeded moment in [0.05, window) s, resumes it
    (even trials: `ferry jobs resume`; odd: a fresh runner). Returns whether the kill landed."""
    ferry = Ferry(tmp_path / f"{name}-home", env)
    fresh = Ferry(tmp_path / f"{name}-fresh-home", env)
    moment = rng_for(name).uniform(0.05, window)
    process = ferry.start(*command, "--output-type", "json")
    killed = kill9_after(process, moment)
    print(f"{name}: kill at {moment:.2f} s {'landed' if killed else 'came after the end'}")
    if not killed:
        assert process.returncode == 0, f"{name}: ended with {process.returncode}: {ferry.background_output()}"
    return killed, (lambda: resume_after_kill(ferry, fresh, command, index % 2 == 0, name))


@pytest.mark.parametrize("store", ["azure", "s3"])
def test_kill9_uploads_then_resume(suite_emulator, suite_seaweed, tmp_path, store):
    source = tmp_path / "tree"
    if store == "azure":
        expected = make_tree(source, 80, KILL_AZURE_BIGS, 4)
        container = new_container(suite_emulator, prefix="killup").container_name
        env, args, window = key_env(suite_emulator), KILL_AZURE_ARGS, 1.0
        proxy = None
    else:
        expected = make_tree(source, 81, KILL_S3_BIGS, 4)
        proxy = FaultProxy(suite_seaweed.port, seed=suite_seed())  # no faults: counts the bytes
        env, args, window = suite_seaweed.env, KILL_S3_ARGS + ["--s3-endpoint", proxy.endpoint], 1.0
    dataset = sum(len(d) for d in expected.values())
    landed = 0
    try:
        for index in range(KILL_TRIALS):
            name = f"kill-upload-{store}-{index}"
            with trial(name):
                if store == "azure":
                    suite_emulator.reset_stats()
                    destination = f"{suite_emulator.url}/{container}/t{index}"
                    stored = lambda: azure_blobs(suite_emulator, container, f"t{index}/tree/")
                else:
                    before = proxy.stats()["bodyBytes"].get("request", 0)
                    destination = f"s3://{BUCKET}/kill{index}/"
                    stored = lambda: s3_objects(suite_seaweed, f"kill{index}/tree/")
                command = ["copy", str(source), destination, "--recursive", *args]
                killed, resume = kill_and_resume(tmp_path, name, env, command, index, window)
                landed += killed
                check_store(stored(), expected, f"{name} after kill", complete=False)
                if killed:
                    resume()
                check_store(stored(), expected, f"{name} resumed", complete=True)
                sent = suite_emulator.stats()["bytesIn"] if store == "azure" else \
                    proxy.stats()["bodyBytes"].get("request", 0) - before
                TALLY.bytes_resent += max(0, sent - dataset)
    finally:
        if proxy is not None:
            proxy.close()
    print(f"{store} uploads: {landed} of {KILL_TRIALS} kills landed mid-run")
    assert landed >= KILL_TRIALS * 0.8, f"only {landed} of {KILL_TRIALS} kills landed before the copy ended"
    assert_no_wrong_files()


@pytest.mark.parametrize("store", ["azure", "s3"])
def test_kill9_downloads_then_resume(suite_emulator, suite_seaweed, tmp_path, store):
    if store == "azure":
        expected = make_tree(tmp_path / "src", 90, KILL_AZURE_BIGS, 4)
        container = new_container(suite_emulator, prefix="killdown")
        for name, data in expected.items():
            container.upload_blob(f"tree/{name}", data)
        source = f"{suite_emulator.url}/{container.container_name}/tree"
        env, args, window = key_env(suite_emulator), KILL_AZURE_ARGS, 1.0
        proxy = None
    else:
        expected = make_tree(tmp_path / "src", 91, KILL_S3_BIGS, 4)
        client = suite_seaweed.client()
        for name, data in expected.items():
            client.put_object(Bucket=BUCKET, Key=f"killdown/tree/{name}", Body=data)
        proxy = FaultProxy(suite_seaweed.port, seed=suite_seed())  # no faults: counts the bytes
        source = f"s3://{BUCKET}/killdown/tree"
        env, args, window = suite_seaweed.env, KILL_S3_ARGS + ["--s3-endpoint", proxy.endpoint], 1.0
    dataset = sum(len(d) for d in expected.values())
    landed = 0
    try:
        for index in range(KILL_TRIALS):
            name = f"kill-download-{store}-{index}"
            with trial(name):
                target = tmp_path / f"down-{index}"
                target.mkdir()
                if store == "azure":
                    suite_emulator.reset_stats()
                else:
                    before = proxy.stats()["bodyBytes"].get("response", 0)
                command = ["copy", source, str(target), "--recursive", *args]
                killed, resume = kill_and_resume(tmp_path, name, env, command, index, window)
                landed += killed
                check_download_after_kill(target / "tree", expected, f"{name} after kill")
                if killed:
                    resume()
                check_download_complete(target / "tree", expected, f"{name} resumed")
                received = suite_emulator.stats()["bytesOut"] if store == "azure" else \
                    proxy.stats()["bodyBytes"].get("response", 0) - before
                TALLY.bytes_resent += max(0, received - dataset)
    finally:
        if proxy is not None:
            proxy.close()
    print(f"{store} downloads: {landed} of {KILL_TRIALS} kills landed mid-run")
    assert landed >= KILL_TRIALS * 0.8, f"only {landed} of {KILL_TRIALS} kills landed before the copy ended"
    assert_no_wrong_files()


# --- the summary line --------------------------------------------------------------------------------
def test_summary_line(tmp_path_factory, report_summary_line):
    line = TALLY.line()
    summary_file = tmp_path_factory.getbasetemp() / "fault-suite-summary.txt"
    summary_file.write_text(line + "\n")
    report_summary_line(line)
    assert TALLY.trials > 0 and TALLY.files_verified > 0, f"the suite ran nothing: {line}"
    assert TALLY.files_wrong == 0, f"{line}\n" + "\n".join(TALLY.wrong[:40])
    assert TALLY.faults_injected > 0, f"no fault was injected: the suite proved nothing ({line})"
