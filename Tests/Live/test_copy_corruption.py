"""Corruption on the wire, injected by ferry-emulator:
- `corrupt-request` damages one Put Block / Put Blob body before the service checksums it: Ferry's
  CRC-64 header makes the service refuse it (400), Ferry sends it again, the blob is byte-identical;
- `corrupt` damages one Get Blob response body: Ferry notices (CRC-64 it stored at upload) and never
  leaves a damaged file in place — either a retry repairs it or the file fails with exit 1 (and a
  resume then completes it).
"""
from __future__ import annotations

import pytest

from ferry_live.blobs import new_container, service_client
from ferry_live.ferry_cli import ferry_for, put_block_indexes
from ferry_live.files import tree_files, write_random_file

KiB, MiB = 1 << 10, 1 << 20


def test_damaged_put_block_is_refused_and_sent_again(emulator, tmp_path):
    container = new_container(emulator, prefix="badblock").container_name
    source = write_random_file(tmp_path / "src" / "nine.bin", 8 * MiB + 5, 21)
    ferry = ferry_for(tmp_path, emulator)
    emulator.reset_stats()
    emulator.set_faults(["corrupt-request:ops=PutBlock,after=3,count=1"])

    run = ferry.run("copy", str(source), f"{emulator.url}/{container}/nine.bin", "--block-size-mb", "1",
                    "--output-type", "json")
    assert run.event("end")["state"] == "completed", run.describe()
    stats = emulator.stats()
    assert stats["faultsInjected"] == 1, stats
    assert stats["requests"]["PutBlock"] == 9 + 1, f"9 blocks + 1 re-send expected: {stats['requests']}"
    assert sorted(put_block_indexes(stats)) == list(range(9)), "each block accepted exactly once"
    blob = service_client(emulator).get_blob_client(container, "nine.bin")
    assert blob.download_blob().readall() == source.read_bytes()


def test_damaged_put_blob_is_refused_and_sent_again(emulator, tmp_path):
    container = new_container(emulator, prefix="badblob").container_name
    source = write_random_file(tmp_path / "src" / "small.bin", 300 * KiB, 22)
    ferry = ferry_for(tmp_path, emulator)
    emulator.reset_stats()
    emulator.set_faults(["corrupt-request:ops=PutBlob,count=1"])

    ferry.run("copy", str(source), f"{emulator.url}/{container}/small.bin")
    stats = emulator.stats()
    assert stats["faultsInjected"] == 1 and stats["requests"]["PutBlob"] == 2, stats
    blob = service_client(emulator).get_blob_client(container, "small.bin")
    assert blob.download_blob().readall() == source.read_bytes()


@pytest.mark.parametrize("size", [4 * MiB + 1, 300 * KiB], ids=["multi-block", "single-request"])
def test_damaged_download_never_leaves_a_bad_file(emulator, tmp_path, size, report_figure):
    container = new_container(emulator, prefix="baddown").container_name
    source = write_random_file(tmp_path / "src" / "data.bin", size, 23)
    ferry = ferry_for(tmp_path, emulator)
    url = f"{emulator.url}/{container}/data.bin"
    ferry.run("copy", str(source), url, "--block-size-mb", "1")  # stores Ferry's CRC-64 with the blob

    emulator.reset_stats()
    emulator.set_faults(["corrupt:ops=GetBlob,count=1"])
    target_dir = tmp_path / "down"
    target_dir.mkdir()
    target = target_dir / "data.bin"
    run = ferry.run("copy", url, str(target), "--block-size-mb", "1", "--output-type", "json", expect=None)
    assert emulator.stats()["faultsInjected"] == 1, "the fault was not injected; the test proves nothing"

    leftovers = sorted(n for n in tree_files(target_dir) if n != "data.bin")
    assert not leftovers, f"temporary or partial files left behind: {leftovers}"
    report_figure(f"damaged Get Blob ({size} B): ferry exit {run.returncode}")
    if run.returncode == 0:
        assert target.read_bytes() == source.read_bytes(), "exit 0 but the file is damaged"
        return
    assert run.returncode == 1, run.describe()
    assert not target.exists(), "a file that failed verification was left in place"
    failed = [e for e in run.events if e.get("type") == "fileFailed"]
    assert failed and failed[0]["code"] == "checksumMismatch", run.describe()

    # The fault is spent: resuming the job fetches it again, correctly.
    resumed = ferry.run("jobs", "resume", run.job_id)
    assert target.read_bytes() == source.read_bytes(), resumed.describe()
