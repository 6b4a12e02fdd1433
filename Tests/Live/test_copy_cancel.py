"""Ctrl-C (SIGINT) during `ferry copy`: exit 2, the job recorded `cancelled` with every block the
service accepted, nothing partial in place of a target, and `ferry jobs resume ID` sends only the
rest. The copies are slowed with `--cap-mbps` so the signal lands mid-way."""
from __future__ import annotations

import signal
import time

from ferry_live.blobs import new_container, service_client
from ferry_live.ferry_cli import (
    ferry_for,
    manifest_done_indexes,
    manifest_rows,
    only_job_id,
    parse_ndjson,
    put_block_indexes,
    settled_put_blocks,
    wait_until,
)
from ferry_live.files import write_random_file

MiB = 1 << 20
BLOCKS = 48  # 48 MiB in 1 MiB blocks
SLOW = ["--block-size-mb", "1", "--concurrency", "4", "--cap-mbps", "64"]  # ~8 MB/s: ~6 s per copy


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
    accepted = set(put_block_indexes({"putBlocks": settled_put_blocks(emulator)}))
    done = manifest_done_indexes(ferry.home, job)
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
    done = manifest_done_indexes(ferry.home, job)
    assert 0 < len(done) < BLOCKS
    assert not target.exists(), "a cancelled download must not leave a partial file in place of the target"

    emulator.reset_stats()
    ferry.run("jobs", "resume", job)
    assert target.read_bytes() == data
    fetched = emulator.stats()["requests"].get("GetBlob", 0)
    assert fetched == BLOCKS - len(done), f"resume fetched {fetched} ranges; {BLOCKS - len(done)} were missing"


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
    accepted = len(settled_put_blocks(emulator))
    assert code == 2, ferry.background_output()
    assert stopped_after <= 5, (f"Ctrl-C took {stopped_after:.1f} s to stop; {accepted} of 32 blocks were accepted "
                                "(blocks waiting on the cap were still sent)")
