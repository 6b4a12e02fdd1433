"""A sync is a job: `kill -9` part-way through, then `ferry jobs resume ID` completes it and the
destination equals the source byte for byte (read with the SDK / boto3 / the file system), in
every direction. The sync is slowed with `--cap-mbps` so the kill lands mid-way; the kill point
and "the resume did not start over" are the SERVER's byte counters."""
from __future__ import annotations

import json
import random

import pytest

from ferry_live.ferry_cli import kill9_when, parse_ndjson
from ferry_live.sync_fixtures import metered_seaweed, pair  # noqa: F401 (fixtures)
from ferry_live.sync_pairs import DIRECTIONS, MiB

FILES = {f"shard-{i}.bin": random.Random(90 + i).randbytes(16 * MiB) for i in range(3)}
FILES["small.txt"] = b"small file\n"
TOTAL = sum(len(d) for d in FILES.values())
AZURE_GETS = 3 * 4 + 1  # 16 MiB in the pairs' 5 MiB blocks, three times, and the small file
# ~8 MB/s: ~6 s for the 48 MiB; one request at a time, so at most one 5 MiB block (10 %) is in
# flight when the kill lands and what the server counted before it was nearly all acknowledged.
SLOW = ["--concurrency", "1", "--cap-mbps", "64"]


def moved(pair, before: dict) -> float:
    """How much of the whole sync the remote server has served since `before`, from 0 to 1:
    bytes received (uploads), body bytes sent (S3 downloads), Get Blob requests of the 13 a
    full Azure download needs at 5 MiB blocks (the emulator's bytesOut counts every answer,
    listings and stats included)."""
    if pair.dst.kind != "local":
        return (pair.dst.counters().get("bytesIn", 0) - before["dst"].get("bytesIn", 0)) / TOTAL
    if pair.src.kind == "azure":
        return (pair.src.counters().get("GetBlob", 0) - before["src"].get("GetBlob", 0)) / AZURE_GETS
    return (pair.src.counters().get("bytesOut", 0) - before["src"].get("bytesOut", 0)) / TOTAL


def complete_events(stdout: str) -> list[dict]:
    """The NDJSON events of a killed run (its last line may have been cut by the kill)."""
    events = []
    for line in stdout.splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            pass
    return events


@pytest.mark.parametrize("pair", DIRECTIONS, indirect=True)
def test_kill9_mid_sync_then_jobs_resume_completes_it(pair):
    pair.seed(FILES)
    before = pair.measure()
    process = pair.ferry.start("sync", pair.src.url, pair.dst.url, *pair.extra, *SLOW, "--output-type", "json")
    kill9_when(process, lambda: moved(pair, before) >= 0.5, poll=0.05)
    before_kill = moved(pair, before)
    assert before_kill < 0.95, "the kill landed after everything was sent; slow the sync down"
    starts = [e for e in complete_events(pair.ferry.background_output()[0]) if e.get("type") == "start"]
    assert len(starts) == 1, pair.ferry.background_output()
    job = starts[0]["jobId"]

    before = pair.measure()
    resumed = pair.ferry.run("jobs", "resume", job, "--output-type", "json", timeout=300)
    assert resumed.event("end")["state"] == "completed", resumed.describe()
    pair.assert_mirrored(FILES)
    resent = moved(pair, before)
    assert resent < 0.8, (f"{pair.direction}: {before_kill:.0%} of the sync had reached the server before the "
                          f"kill, and the resume moved {resent:.0%} of it again: it started over")

    before = pair.measure()
    again = pair.sync()
    after = pair.measure()
    assert pair.dst_writes(before, after) == {}, f"{pair.direction}: a sync after the resume wrote again"
    assert pair.src_reads(before, after) == {}, f"{pair.direction}: a sync after the resume read bodies"
    assert again.event("end")["filesDone"] == 0, again.describe()

    listed = parse_ndjson(pair.ferry.run("jobs", "list", "--output-type", "json").stdout)
    assert [e["state"] for e in listed if e.get("jobId") == job] == ["completed"], listed
