"""Resume of an S3 multipart upload after `kill -9`, and `ferry jobs clean` aborting what a job left.

The resumed run must send only the parts ListParts did not show: parts already uploaded keep
their ETag and LastModified (they are not uploaded again), the run reports as resumed exactly the
parts the service holds with the file's bytes, and the object is byte-identical. A fresh runner
(no FERRY_HOME) continues the unfinished upload the same way."""
from __future__ import annotations

import json
import os
import shutil
import time

from ferry_live.ferry_cli import ferry_for, kill9_when, manifest_done_indexes, manifest_rows, only_job_id
from ferry_live.files import write_random_file
from ferry_live.seaweed import BUCKET

MiB = 1 << 20
PART = 5 * MiB
PARTS = 12
SLOW = ["--block-size-mb", "5", "--concurrency", "3", "--cap-mbps", "64"]  # ~8 MB/s: ~8 s for 60 MiB


def upload_id(ferry, job: str) -> str:
    rows = manifest_rows(ferry.home, job, "SELECT resume_token FROM files WHERE resume_token IS NOT NULL")
    assert len(rows) == 1, f"expected one recorded UploadId, found {rows}"
    return rows[0][0]


def parts_by_number(seaweed, key: str, upload: str) -> dict[int, tuple[str, object, int]]:
    return {p["PartNumber"]: (p["ETag"], p["LastModified"], p["Size"]) for p in seaweed.list_parts(key, upload)}


def settled_parts(seaweed, key: str, upload: str) -> dict[int, tuple[str, object, int]]:
    """ListParts once no more parts land (a body already sent may still complete after the kill)."""
    previous = None
    while True:
        parts = parts_by_number(seaweed, key, upload)
        if parts == previous:
            return parts
        previous = parts
        time.sleep(0.7)


def run_watching_parts(ferry, args: list[str], seaweed, key: str, upload: str):
    """Runs ferry (JSON output) to a completed end while polling ListParts of `upload`: the end
    event, and every (ETag, LastModified) seen of each part number (SeaweedFS lists a part
    uploaded twice twice, until the upload completes with the ETag it names)."""
    process = ferry.start(*args, "--output-type", "json")
    seen_during: dict[int, set[tuple[str, object]]] = {}
    while process.poll() is None:
        try:
            for part in seaweed.list_parts(key, upload):
                seen_during.setdefault(part["PartNumber"], set()).add((part["ETag"], part["LastModified"]))
        except Exception:
            pass  # completed meanwhile: the upload is gone
        time.sleep(0.3)
    stdout, stderr = ferry.background_output()
    assert process.returncode == 0, f"exit {process.returncode}\n{stdout[-2000:]}\n{stderr[-2000:]}"
    end = [line for line in stdout.splitlines() if '"type":"end"' in line.replace(" ", "")]
    assert end, stdout[-2000:]
    end_event = json.loads(end[-1])
    assert end_event["state"] == "completed", end_event
    return end_event, seen_during


def test_kill9_mid_multipart_upload_then_resume_sends_only_missing_parts(seaweed, tmp_path, report_figure):
    source = write_random_file(tmp_path / "src" / "big.bin", PARTS * PART - 4321, 41)
    ferry = ferry_for(tmp_path, env=seaweed.env)
    key = "resume/big.bin"
    process = ferry.start("copy", str(source), f"s3://{BUCKET}/{key}", *SLOW, "--s3-endpoint", seaweed.endpoint,
                          "--output-type", "json")

    def enough_parts() -> bool:
        uploads = seaweed.uploads("resume/")
        return bool(uploads) and len(seaweed.list_parts(key, uploads[0]["UploadId"])) >= 4
    kill9_when(process, enough_parts)
    job = only_job_id(ferry.home)
    upload = upload_id(ferry, job)
    assert [u["UploadId"] for u in seaweed.uploads("resume/")] == [upload], "the manifest names the one upload"
    before = settled_parts(seaweed, key, upload)
    done = manifest_done_indexes(ferry.home, job)
    assert done, "the manifest recorded no acknowledged part before the kill"
    assert {i + 1 for i in done} <= set(before), f"manifest claims parts S3 does not have: {sorted(done)} vs {sorted(before)}"
    assert len(before) < PARTS, "the kill landed after every part was sent; slow the copy down"
    assert "Contents" not in seaweed.client().list_objects_v2(Bucket=BUCKET, Prefix=key), "nothing completed yet"

    # Watch the upload while the resume runs: no part ListParts showed may be uploaded again —
    # neither the recorded ones nor those accepted after the last record (their ETag is the MD5
    # of the file's bytes there, which the resume checks).
    end_event, seen_during = run_watching_parts(ferry, ["jobs", "resume", job, "--cap-mbps", "32"], seaweed, key, upload)

    kept = set(before)
    changed = sorted(n for n in kept if seen_during.get(n, set()) - {before[n][:2]})
    assert not changed, f"parts uploaded before the kill were uploaded again: {changed}"
    assert end_event["bytesResumed"] == sum(before[n][2] for n in kept), \
        f"resumed bytes {end_event['bytesResumed']} ≠ the parts ListParts showed ({sorted(kept)}; {len(done)} recorded)"
    sent_this_run = end_event["bytesDone"] - end_event["bytesResumed"]
    assert sent_this_run == source.stat().st_size - sum(before[n][2] for n in kept)

    assert seaweed.get(key) == source.read_bytes()
    head = seaweed.client().head_object(Bucket=BUCKET, Key=key)
    assert head["ETag"].strip('"').endswith(f"-{PARTS}")
    assert seaweed.uploads("resume/") == [], "the upload was completed, not left behind"
    assert manifest_rows(ferry.home, job, "SELECT state FROM job") == [("completed",)]
    report_figure(f"S3 kill -9 with {len(before)} parts uploaded ({len(done)} recorded): resume sent "
                  f"{sent_this_run // MiB} MiB, reused {end_event['bytesResumed'] // MiB} MiB")


def test_fresh_runner_continues_the_multipart_upload_a_lost_runner_left(seaweed, tmp_path, report_figure):
    """kill -9 mid multipart upload, then the runner is lost with its FERRY_HOME; the source is
    checked out again (new modification time) with the bytes of one uploaded part changed. The
    same command on a fresh FERRY_HOME continues the unfinished upload: parts whose ETag is the MD5
    of the source's bytes are kept as they are, the changed part and the missing ones are sent."""
    source = write_random_file(tmp_path / "src" / "big.bin", PARTS * PART - 4321, 43)
    ferry = ferry_for(tmp_path, env=seaweed.env)
    key = "fresh/big.bin"
    command = ["copy", str(source), f"s3://{BUCKET}/{key}", *SLOW, "--s3-endpoint", seaweed.endpoint]

    def enough_parts() -> bool:
        uploads = seaweed.uploads("fresh/")
        return bool(uploads) and len(seaweed.list_parts(key, uploads[0]["UploadId"])) >= 4
    kill9_when(ferry.start(*command), enough_parts)
    uploads = seaweed.uploads("fresh/")
    assert len(uploads) == 1
    upload = uploads[0]["UploadId"]
    before = settled_parts(seaweed, key, upload)
    assert len(before) < PARTS, "the kill landed after every part was sent; slow the copy down"
    shutil.rmtree(ferry.home)
    changed = min(before)
    with open(source, "r+b") as file:
        file.seek((changed - 1) * PART + 100)
        file.write(b"changed after the first run")
    os.utime(source, (time.time() + 3600, time.time() + 3600))

    fresh = ferry_for(tmp_path, env=seaweed.env, name="ferry-home-fresh")
    end_event, seen_during = run_watching_parts(fresh, command, seaweed, key, upload)

    kept = set(before) - {changed}
    resent = sorted(n for n in kept if seen_during.get(n, set()) - {before[n][:2]})
    assert not resent, f"parts whose bytes still matched were uploaded again: {resent}"
    assert seen_during.get(changed, set()) - {before[changed][:2]}, "the changed part was not sent again"
    assert end_event["bytesResumed"] == sum(before[n][2] for n in kept), end_event
    assert seaweed.get(key) == source.read_bytes()
    assert seaweed.uploads("fresh/") == [], "the one upload was continued and completed"
    report_figure(f"S3 fresh runner: {len(before)} parts were uploaded before the loss, one of them then changed; "
                  f"the re-run kept {len(kept)} ({end_event['bytesResumed'] // MiB} MiB)")


def test_jobs_clean_aborts_the_multipart_upload_a_killed_job_left(seaweed, tmp_path):
    source = write_random_file(tmp_path / "src" / "big.bin", 8 * PART, 42)
    ferry = ferry_for(tmp_path, env=seaweed.env)
    process = ferry.start("copy", str(source), f"s3://{BUCKET}/clean/big.bin", *SLOW, "--s3-endpoint", seaweed.endpoint)
    kill9_when(process, lambda: bool(seaweed.uploads("clean/")))
    job = only_job_id(ferry.home)
    assert len(seaweed.uploads("clean/")) == 1

    # Unreachable destination (a wrong endpoint): the job is kept without --force.
    refused = ferry.run("jobs", "clean", job, "--s3-endpoint", "http://127.0.0.1:9", expect=None)
    assert refused.returncode != 0 and "kept" in refused.stderr, refused.describe()
    assert (ferry.home / "jobs" / f"{job}.db").exists()
    assert len(seaweed.uploads("clean/")) == 1

    # The recorded endpoint (from the job) and credentials from the environment: aborted, then deleted.
    cleaned = ferry.run("jobs", "clean", job)
    assert "1 unfinished upload" in cleaned.stdout, cleaned.describe()
    assert seaweed.uploads("clean/") == []
    assert not (ferry.home / "jobs" / f"{job}.db").exists()
