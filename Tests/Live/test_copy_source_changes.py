"""A source file that changes while it is copied is never committed, and the one-line failure
names it — also for a single-file copy, whose plan has no relative path of its own."""
from __future__ import annotations

from azure.core.exceptions import ResourceNotFoundError

from ferry_live.blobs import new_container, service_client
from ferry_live.ferry_cli import ferry_for, parse_ndjson, wait_until
from ferry_live.files import write_random_file

MiB = 1 << 20
SLOW = ["--block-size-mb", "1", "--concurrency", "2", "--cap-mbps", "32"]


def test_single_file_changed_mid_upload_is_named_and_not_committed(emulator, tmp_path):
    container = new_container(emulator, prefix="changing").container_name
    source = write_random_file(tmp_path / "src" / "growing.bin", 16 * MiB, 81)
    ferry = ferry_for(tmp_path, emulator)
    emulator.reset_stats()
    process = ferry.start("copy", str(source), f"{emulator.url}/{container}/growing.bin", *SLOW)
    wait_until(lambda: len(emulator.stats()["putBlocks"]) >= 2 or process.poll() is not None, what="2 Put Blocks")
    assert process.poll() is None, "ferry finished before the source changed"
    with source.open("ab") as handle:
        handle.write(b"appended while Ferry was reading")
    code = process.wait(timeout=120)
    _stdout, stderr = ferry.background_output()
    assert code == 1, f"exit {code}\n{stderr[-2000:]}"
    failed = [line for line in stderr.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 1, stderr[-2000:]
    assert str(source) in failed[0] and "changed during the copy" in failed[0], failed[0]
    assert "''" not in failed[0] and not failed[0].startswith("failed: :"), failed[0]
    blob = service_client(emulator).get_blob_client(container, "growing.bin")
    try:
        blob.get_blob_properties()
        raise AssertionError("a blob was committed from a source that changed mid-copy")
    except ResourceNotFoundError:
        pass


def test_single_file_change_is_named_in_ndjson(emulator, tmp_path):
    container = new_container(emulator, prefix="changingjson").container_name
    source = write_random_file(tmp_path / "src" / "growing.bin", 16 * MiB, 82)
    ferry = ferry_for(tmp_path, emulator)
    emulator.reset_stats()
    process = ferry.start("copy", str(source), f"{emulator.url}/{container}/growing.bin", *SLOW,
                          "--output-type", "json")
    wait_until(lambda: len(emulator.stats()["putBlocks"]) >= 2 or process.poll() is not None, what="2 Put Blocks")
    with source.open("ab") as handle:
        handle.write(b"more")
    assert process.wait(timeout=120) == 1
    stdout, _ = ferry.background_output()
    failed = [e for e in parse_ndjson(stdout) if e["type"] == "fileFailed"]
    assert len(failed) == 1 and failed[0]["path"] == str(source) and failed[0]["code"] == "sourceChanged", failed
