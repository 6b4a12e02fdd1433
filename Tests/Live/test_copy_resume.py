"""Resume: `kill -9` (and Ctrl-C) part-way through a multi-block copy, then `ferry jobs resume ID`.

What is checked, beyond a byte-identical result:
- the manifest never claims a block the service did not accept (manifest ⊆ emulator `putBlocks`);
- after the resume, no block the manifest had recorded as acknowledged is sent again (emulator
  `putBlocks` after the resume), and for downloads no such block is fetched again (GetBlob count);
- Ctrl-C exits 2 with every accepted block recorded, and the job resumes.
The copies are slowed with `--cap-mbps` so the kill lands mid-way.
"""
from __future__ import annotations

import hashlib
import shutil
import signal
import time

import pytest
from azure.storage.blob import ContentSettings

from ferry_live.blobs import new_container, service_client
from ferry_live.ferry_cli import (
    ferry_for,
    kill9_when,
    manifest_done_blocks,
    manifest_rows,
    only_job_id,
    parse_ndjson,
    put_block_indexes,
    wait_until,
)
from ferry_live.files import assert_trees_identical, write_random_file

MiB = 1 << 20
BLOCKS = 48  # 48 MiB in 1 MiB blocks
SLOW = ["--block-size-mb", "1", "--concurrency", "4", "--cap-mbps", "64"]  # ~8 MB/s: ~6 s per copy


def all_done_blocks(home, job) -> set[int]:
    done = manifest_done_blocks(home, job)
    assert len(done) <= 1, f"one multi-block file expected in the manifest, got {sorted(done)}"
    return set().union(*done.values()) if done else set()


def settle(emulator) -> list[dict]:
    """The emulator's accepted Put Blocks once no more arrive (a body already read may still land)."""
    previous = -1
    while True:
        blocks = emulator.stats()["putBlocks"]
        if len(blocks) == previous:
            return blocks
        previous = len(blocks)
        time.sleep(0.5)


@pytest.mark.parametrize("put_md5", [False, True], ids=["crc64-only", "put-md5"])
def test_kill9_mid_upload_then_resume_sends_only_unacknowledged_blocks(emulator, tmp_path, put_md5, report_figure):
    container = new_container(emulator, prefix="resume").container_name
    source = write_random_file(tmp_path / "src" / "big.bin", BLOCKS * MiB, 11)
    ferry = ferry_for(tmp_path, emulator)
    blob_url = f"{emulator.url}/{container}/big.bin"

    md5_flag = ["--put-md5"] if put_md5 else []
    process = ferry.start("copy", str(source), blob_url, *SLOW, *md5_flag, "--output-type", "json")
    kill9_when(process, lambda: len(emulator.stats()["putBlocks"]) >= 12)
    accepted = set(put_block_indexes({"putBlocks": settle(emulator)}))
    job = only_job_id(ferry.home)
    done = all_done_blocks(ferry.home, job)

    assert done, "the manifest recorded no acknowledged block before the kill"
    assert done <= accepted, f"manifest claims blocks the service never accepted: {sorted(done - accepted)}"
    assert len(accepted) < BLOCKS, "the kill landed after every block was sent; slow the copy down"
    blob = service_client(emulator).get_blob_client(container, "big.bin")
    assert not blob.exists(), "nothing may be committed before every block is acknowledged"

    emulator.reset_stats()
    resumed = ferry.run("jobs", "resume", job, "--output-type", "json")
    assert resumed.event("end")["state"] == "completed", resumed.describe()
    after = put_block_indexes(emulator.stats())

    again = sorted(set(after) & done)
    assert not again, f"blocks recorded as acknowledged were sent again: {again}"
    assert set(after) | done == set(range(BLOCKS)), "some block was never sent"
    assert blob.download_blob().readall() == source.read_bytes()
    assert [b.size for b in blob.get_block_list("committed")[0]] == [MiB] * BLOCKS
    assert manifest_rows(ferry.home, job, "SELECT state FROM job") == [("completed",)]
    stored_md5 = blob.get_blob_properties().content_settings.content_md5
    if put_md5:  # the in-order MD5 spans the kill: blocks sent before it are hashed again from the file
        assert stored_md5 is not None and bytes(stored_md5) == hashlib.md5(source.read_bytes()).digest()
    resent_unrecorded = sorted(set(after) & (accepted - done))
    report_figure(f"upload kill -9 after {len(accepted)} accepted blocks: manifest had {len(done)}, "
                  f"resume sent {len(after)} ({len(resent_unrecorded)} accepted-but-unrecorded sent again)")


@pytest.mark.parametrize("with_md5", [False, True], ids=["no-content-md5", "content-md5"])
def test_kill9_mid_download_then_resume_fetches_only_missing_blocks(emulator, tmp_path, with_md5, report_figure):
    container = new_container(emulator, prefix="dlresume", max_block_size=4 * MiB, max_single_put_size=4 * MiB)
    data = write_random_file(tmp_path / "seed.bin", BLOCKS * MiB, 12).read_bytes()
    settings = ContentSettings(content_md5=bytearray(hashlib.md5(data).digest())) if with_md5 else None
    container.upload_blob("big.bin", data, content_settings=settings)
    props = container.get_blob_client("big.bin").get_blob_properties()
    assert (props.content_settings.content_md5 is not None) == with_md5
    ferry = ferry_for(tmp_path, emulator)
    target_dir = tmp_path / "down"
    target_dir.mkdir()
    target = target_dir / "big.bin"

    emulator.reset_stats()
    process = ferry.start("copy", f"{emulator.url}/{container.container_name}/big.bin", str(target), *SLOW)
    kill9_when(process, lambda: emulator.stats()["requests"].get("GetBlob", 0) >= 12)
    job = only_job_id(ferry.home)
    done = all_done_blocks(ferry.home, job)
    assert done, "the manifest recorded no block before the kill"
    assert len(done) < BLOCKS
    assert not target.exists(), "a partial download must never sit in place of the file"
    assert (target_dir / ".big.bin.ferry-partial").exists(), sorted(p.name for p in target_dir.iterdir())

    emulator.reset_stats()
    resumed = ferry.run("jobs", "resume", job, "--output-type", "json")
    assert resumed.event("end")["state"] == "completed", resumed.describe()
    fetched = emulator.stats()["requests"].get("GetBlob", 0)
    report_figure(f"download kill -9 ({'with' if with_md5 else 'without'} Content-MD5): manifest had "
                  f"{len(done)} of {BLOCKS} blocks; resume made {fetched} GetBlob requests")
    assert target.read_bytes() == data
    assert not (target_dir / ".big.bin.ferry-partial").exists()
    assert fetched == BLOCKS - len(done), (f"resume fetched {fetched} ranges; {BLOCKS - len(done)} were missing "
                                           f"({len(done)} already written and recorded)")


def test_ctrl_c_exits_2_with_every_accepted_block_recorded_then_resumes(emulator, tmp_path):
    container = new_container(emulator, prefix="sigint").container_name
    source = write_random_file(tmp_path / "src" / "big.bin", BLOCKS * MiB, 13)
    ferry = ferry_for(tmp_path, emulator)

    process = ferry.start("copy", str(source), f"{emulator.url}/{container}/big.bin", *SLOW, "--output-type", "json")
    wait_until(lambda: len(emulator.stats()["putBlocks"]) >= 8 or process.poll() is not None, what="8 Put Blocks")
    assert process.poll() is None, "ferry finished before the Ctrl-C"
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=60)
    stdout, stderr = ferry.background_output()
    assert code == 2, f"Ctrl-C → exit {code}, expected 2\nstdout: {stdout[-2000:]}\nstderr: {stderr[-2000:]}"
    end = [e for e in parse_ndjson(stdout) if e.get("type") == "end"]
    assert end and end[-1]["state"] == "cancelled", stdout[-2000:]

    job = only_job_id(ferry.home)
    assert manifest_rows(ferry.home, job, "SELECT state FROM job") == [("cancelled",)]
    accepted = set(put_block_indexes({"putBlocks": settle(emulator)}))
    done = all_done_blocks(ferry.home, job)
    assert done == accepted, (f"after a graceful stop every accepted block must be recorded: "
                              f"accepted-not-recorded {sorted(accepted - done)}, recorded-not-accepted {sorted(done - accepted)}")
    assert len(done) < BLOCKS

    emulator.reset_stats()
    ferry.run("jobs", "resume", job)
    after = set(put_block_indexes(emulator.stats()))
    assert not after & done, f"sent again after Ctrl-C: {sorted(after & done)}"
    blob = service_client(emulator).get_blob_client(container, "big.bin")
    assert blob.download_blob().readall() == source.read_bytes()


def test_ctrl_c_mid_download_exits_2_then_resumes(emulator, tmp_path):
    container = new_container(emulator, prefix="sigintdown", max_block_size=4 * MiB, max_single_put_size=4 * MiB)
    data = write_random_file(tmp_path / "seed.bin", BLOCKS * MiB, 16).read_bytes()
    container.upload_blob("big.bin", data)
    ferry = ferry_for(tmp_path, emulator)
    target_dir = tmp_path / "down"
    target_dir.mkdir()
    target = target_dir / "big.bin"

    emulator.reset_stats()
    process = ferry.start("copy", f"{emulator.url}/{container.container_name}/big.bin", str(target), *SLOW)
    wait_until(lambda: emulator.stats()["requests"].get("GetBlob", 0) >= 8 or process.poll() is not None,
               what="8 Get Blob requests")
    assert process.poll() is None, "ferry finished before the Ctrl-C"
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 2, ferry.background_output()
    job = only_job_id(ferry.home)
    assert manifest_rows(ferry.home, job, "SELECT state FROM job") == [("cancelled",)]
    done = all_done_blocks(ferry.home, job)
    assert 0 < len(done) < BLOCKS
    assert not target.exists(), "a cancelled download must not leave a partial file in place of the target"

    emulator.reset_stats()
    ferry.run("jobs", "resume", job)
    assert target.read_bytes() == data
    fetched = emulator.stats()["requests"].get("GetBlob", 0)
    assert fetched == BLOCKS - len(done), f"resume fetched {fetched} ranges; {BLOCKS - len(done)} were missing"


def test_fresh_runner_rerun_after_kill9(emulator, tmp_path, report_figure):
    """The runner (and its FERRY_HOME) is lost after a kill -9; the same command is run again.

    It must complete byte-identical. Reusing the blocks already staged (Get Block List, the block
    IDs are deterministic) is asserted when supported; otherwise the test records an xfail."""
    container = new_container(emulator, prefix="fresh").container_name
    source = write_random_file(tmp_path / "src" / "big.bin", BLOCKS * MiB, 14)
    ferry = ferry_for(tmp_path, emulator)
    command = ["copy", str(source), f"{emulator.url}/{container}/big.bin", *SLOW]

    kill9_when(ferry.start(*command), lambda: len(emulator.stats()["putBlocks"]) >= 12)
    accepted = set(put_block_indexes({"putBlocks": settle(emulator)}))
    shutil.rmtree(ferry.home)

    emulator.reset_stats()
    fresh = ferry_for(tmp_path, emulator, name="ferry-home-fresh")
    fresh.run(*command)
    blob = service_client(emulator).get_blob_client(container, "big.bin")
    assert blob.download_blob().readall() == source.read_bytes()
    after = put_block_indexes(emulator.stats())
    resent = sorted(set(after) & accepted)
    report_figure(f"fresh runner: {len(accepted)} blocks were staged before the loss; the re-run sent "
                  f"{len(after)} blocks, {len(resent)} of them already staged")
    if resent:
        pytest.xfail(f"not supported: a re-run of the same command on a fresh FERRY_HOME re-sends the "
                     f"{len(resent)} blocks already staged (it plans a new job and never consults Get Block List)")


def test_kill9_mid_tree_upload_then_resume_skips_finished_files(emulator, tmp_path):
    """A recursive upload of 60 small files and a 24 MiB file, killed while the big one is under
    way: the resume uploads no small file the manifest recorded as done, and no recorded block."""
    container = new_container(emulator, prefix="treeresume").container_name
    root = tmp_path / "tree"
    for i in range(60):
        write_random_file(root / f"a-small/{i:02d}.bin", 50_000 + i, 200 + i)
    write_random_file(root / "b-big.bin", 24 * MiB, 199)
    ferry = ferry_for(tmp_path, emulator)
    url = f"{emulator.url}/{container}"

    emulator.reset_stats()
    process = ferry.start("copy", str(root), url, "--recursive", "--block-size-mb", "1", "--concurrency", "4",
                          "--cap-mbps", "32")
    kill9_when(process, lambda: len(emulator.stats()["putBlocks"]) >= 4)
    settle(emulator)
    job = only_job_id(ferry.home)
    states = manifest_rows(ferry.home, job, "SELECT source_path, state FROM files")
    done_small = {path for path, state in states if state == "done" and "a-small/" in path}
    done_blocks = all_done_blocks(ferry.home, job)
    assert done_small and done_blocks, f"kill landed too early: {len(done_small)} files, {len(done_blocks)} blocks"
    assert len(done_blocks) < 24

    emulator.reset_stats()
    ferry.run("jobs", "resume", job)
    stats = emulator.stats()
    assert stats["requests"].get("PutBlob", 0) == 60 - len(done_small), \
        f"{len(done_small)} small files were done; resume made {stats['requests'].get('PutBlob', 0)} Put Blob requests"
    assert not set(put_block_indexes(stats)) & done_blocks
    target = tmp_path / "down"
    target.mkdir()
    ferry.run("copy", f"{url}/tree", str(target), "--recursive")
    assert_trees_identical(root, target / "tree")


def test_ctrl_c_under_a_cap_stops_promptly(emulator, tmp_path):
    """Ctrl-C with many workers waiting on a low `--cap-mbps`: the job should stop within seconds,
    not after every block already handed to a worker has trickled through the cap."""
    container = new_container(emulator, prefix="sigintcap").container_name
    source = write_random_file(tmp_path / "src" / "big.bin", 32 * MiB, 15)
    ferry = ferry_for(tmp_path, emulator)
    process = ferry.start("copy", str(source), f"{emulator.url}/{container}/big.bin", "--block-size-mb", "1",
                          "--concurrency", "16", "--cap-mbps", "8")  # 1 MB/s: 32 MiB would take ~34 s
    # 16 blocks share 1 MB/s, so after ~2.5 s each is ~15 % sent and none is finished.
    wait_until(lambda: (ferry.home / "jobs").exists() or process.poll() is not None, what="the job record")
    time.sleep(2.5)
    assert process.poll() is None
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    code = process.wait(timeout=120)
    stopped_after = time.monotonic() - started
    accepted = len(settle(emulator))
    assert code == 2, ferry.background_output()
    assert stopped_after <= 5, (f"Ctrl-C took {stopped_after:.1f} s to stop; {accepted} of 32 blocks were accepted "
                                "(blocks waiting on the cap were still sent)")
