"""Resume of an S3 multipart upload after `kill -9`, and `ferry jobs clean` aborting what a job left.

The resumed run must send only the parts ListParts did not show: parts already uploaded keep
their ETag and LastModified (they are not uploaded again), the run reports as resumed exactly the
recorded parts the service still holds, and the object is byte-identical."""
from __future__ import annotations

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

    # Watch the upload while the resume runs: parts recorded before must not be uploaded again.
    resumed_process = ferry.start("jobs", "resume", job, "--output-type", "json", "--cap-mbps", "32")
    seen_during: dict[int, tuple[str, object, int]] = {}
    while resumed_process.poll() is None:
        try:
            seen_during.update(parts_by_number(seaweed, key, upload))
        except Exception:
            pass  # completed meanwhile: the upload is gone
        time.sleep(0.3)
    stdout, stderr = ferry.background_output()
    assert resumed_process.returncode == 0, f"resume exit {resumed_process.returncode}\n{stdout[-2000:]}\n{stderr[-2000:]}"
    end = [line for line in stdout.splitlines() if '"type":"end"' in line.replace(" ", "")]
    assert end, stdout[-2000:]
    import json
    end_event = json.loads(end[-1])
    assert end_event["state"] == "completed", end_event

    kept = {i + 1 for i in done}
    changed = sorted(n for n in kept if n in seen_during and seen_during[n][:2] != before[n][:2])
    assert not changed, f"parts recorded before the kill were uploaded again: {changed}"
    assert end_event["bytesResumed"] == sum(before[n][2] for n in kept), \
        f"resumed bytes {end_event['bytesResumed']} ≠ the recorded parts ListParts showed ({sorted(kept)})"
    sent_this_run = end_event["bytesDone"] - end_event["bytesResumed"]
    assert sent_this_run == source.stat().st_size - sum(before[n][2] for n in kept)

    assert seaweed.get(key) == source.read_bytes()
    head = seaweed.client().head_object(Bucket=BUCKET, Key=key)
    assert head["ETag"].strip('"').endswith(f"-{PARTS}")
    assert seaweed.uploads("resume/") == [], "the upload was completed, not left behind"
    assert manifest_rows(ferry.home, job, "SELECT state FROM job") == [("completed",)]
    report_figure(f"S3 kill -9 with {len(before)} parts uploaded ({len(done)} recorded): resume sent "
                  f"{sent_this_run // MiB} MiB, reused {end_event['bytesResumed'] // MiB} MiB")


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
