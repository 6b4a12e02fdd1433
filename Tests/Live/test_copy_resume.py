"""Resume: `kill -9` part-way through a copy, then `ferry jobs resume ID` (Ctrl-C: test_copy_cancel.py).

What is checked, beyond a byte-identical result:
- the manifest never claims a block the service did not accept (manifest ⊆ emulator `putBlocks`);
- after the resume, no block the manifest had recorded as acknowledged is sent again (emulator
  `putBlocks` after the resume), and for downloads no such block is fetched again (GetBlob count).
The copies are slowed with `--cap-mbps` so the kill lands mid-way.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest
from azure.storage.blob import ContentSettings

from ferry_live.blobs import new_container, service_client
from ferry_live.ferry_cli import (
    ferry_for,
    kill9_when,
    manifest_done_indexes,
    manifest_rows,
    only_job_id,
    put_block_indexes,
    settled_put_blocks,
)
from ferry_live.files import assert_trees_identical, write_random_file

MiB = 1 << 20
BLOCKS = 48  # 48 MiB in 1 MiB blocks
SLOW = ["--block-size-mb", "1", "--concurrency", "4", "--cap-mbps", "64"]  # ~8 MB/s: ~6 s per copy


@pytest.mark.parametrize("put_md5", [False, True], ids=["crc64-only", "put-md5"])
def test_kill9_mid_upload_then_resume_sends_only_unacknowledged_blocks(emulator, tmp_path, put_md5, report_figure):
    container = new_container(emulator, prefix="resume").container_name
    source = write_random_file(tmp_path / "src" / "big.bin", BLOCKS * MiB, 11)
    ferry = ferry_for(tmp_path, emulator)
    blob_url = f"{emulator.url}/{container}/big.bin"

    md5_flag = ["--put-md5"] if put_md5 else []
    process = ferry.start("copy", str(source), blob_url, *SLOW, *md5_flag, "--output-type", "json")
    kill9_when(process, lambda: len(emulator.stats()["putBlocks"]) >= 12)
    accepted = set(put_block_indexes({"putBlocks": settled_put_blocks(emulator)}))
    job = only_job_id(ferry.home)
    done = manifest_done_indexes(ferry.home, job)

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
    assert blob.download_blob().readall() == source.read_bytes()
    assert [b.size for b in blob.get_block_list("committed")[0]] == [MiB] * BLOCKS
    assert manifest_rows(ferry.home, job, "SELECT state FROM job") == [("completed",)]
    stored_md5 = blob.get_blob_properties().content_settings.content_md5
    if put_md5:  # the in-order MD5 spans the kill: blocks sent before it are hashed again from the file
        assert stored_md5 is not None and bytes(stored_md5) == hashlib.md5(source.read_bytes()).digest()
    resent_unrecorded = sorted(set(after) & (accepted - done))
    report_figure(f"upload kill -9 after {len(accepted)} accepted blocks: manifest had {len(done)}, "
                  f"resume sent {len(after)} ({len(resent_unrecorded)} accepted-but-unrecorded sent again)")
    # Blocks accepted but not yet recorded when the kill landed are found in Get Block List and
    # reused once their bytes check out: the resume sends exactly the blocks never accepted, once.
    assert sorted(after) == sorted(set(range(BLOCKS)) - accepted), f"resume sent {sorted(after)}"


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
    done = manifest_done_indexes(ferry.home, job)
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

def staged_then_runner_lost(emulator, tmp_path, seed: int) -> tuple[str, Path, list[str], set[int]]:
    """A copy of 48 MiB killed after 12 accepted blocks, then its FERRY_HOME deleted: the
    container, the source, the command to run again and the block indexes the service holds."""
    container = new_container(emulator, prefix="fresh").container_name
    source = write_random_file(tmp_path / "src" / "big.bin", BLOCKS * MiB, seed)
    ferry = ferry_for(tmp_path, emulator)
    command = ["copy", str(source), f"{emulator.url}/{container}/big.bin", *SLOW]
    kill9_when(ferry.start(*command), lambda: len(emulator.stats()["putBlocks"]) >= 12)
    accepted = set(put_block_indexes({"putBlocks": settled_put_blocks(emulator)}))
    assert 12 <= len(accepted) < BLOCKS
    shutil.rmtree(ferry.home)
    emulator.reset_stats()
    return container, source, command, accepted


def test_fresh_runner_rerun_after_kill9(emulator, tmp_path, report_figure):
    """The runner (and its FERRY_HOME) is lost after a kill -9; the source is checked out again
    (new modification time) and the same command is run on a fresh FERRY_HOME.

    It completes byte-identical without sending any block the service already holds: Get Block
    List names each staged block's layout, index and CRC-64, and the re-run reuses a block after
    the CRC-64 of its own bytes matches."""
    container, source, command, accepted = staged_then_runner_lost(emulator, tmp_path, 14)
    os.utime(source, (time.time() + 3600, time.time() + 3600))  # a fresh checkout of the same bytes

    result = ferry_for(tmp_path, emulator, name="ferry-home-fresh").run(*command, "--output-type", "json")
    blob = service_client(emulator).get_blob_client(container, "big.bin")
    assert blob.download_blob().readall() == source.read_bytes()
    after = put_block_indexes(emulator.stats())
    report_figure(f"fresh runner: {len(accepted)} blocks were staged before the loss; the re-run sent "
                  f"{len(after)} blocks, {len(set(after) & accepted)} of them already staged")
    assert sorted(after) == sorted(set(range(BLOCKS)) - accepted), f"re-run sent {sorted(after)}"
    assert result.event("end")["bytesResumed"] == len(accepted) * MiB, result.describe()


def test_fresh_runner_rerun_sends_again_the_blocks_whose_bytes_changed(emulator, tmp_path):
    """Staged blocks are reused only for the bytes they hold: after a kill and a loss of
    FERRY_HOME, the source changes inside two blocks that were already staged (same size, same
    layout). The re-run sends those two again and commits exactly the new bytes."""
    container, source, command, accepted = staged_then_runner_lost(emulator, tmp_path, 15)
    changed = sorted(accepted)[:2]
    with open(source, "r+b") as file:
        for index in changed:
            file.seek(index * MiB + 1000)
            file.write(b"changed after the first run")

    ferry_for(tmp_path, emulator, name="ferry-home-fresh").run(*command)
    blob = service_client(emulator).get_blob_client(container, "big.bin")
    assert blob.download_blob().readall() == source.read_bytes()
    after = put_block_indexes(emulator.stats())
    assert sorted(after) == sorted((set(range(BLOCKS)) - accepted) | set(changed)), f"re-run sent {sorted(after)}"


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
    settled_put_blocks(emulator)
    job = only_job_id(ferry.home)
    states = manifest_rows(ferry.home, job, "SELECT source_path, state FROM files")
    done_small = {path for path, state in states if state == "done" and "a-small/" in path}
    done_blocks = manifest_done_indexes(ferry.home, job)
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
