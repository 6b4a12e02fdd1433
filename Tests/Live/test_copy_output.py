"""Output and exit codes of `ferry copy`, as scripts see them:
- `--output-type json`: stdout is pure NDJSON (`start`, `progress` every 2 s, `end`), numbers are
  JSON numbers, the job id is in every event;
- exit 0 all done, 1 some files failed, 3 authentication failure, 64 usage error with one
  `error: …` line on stderr;
- `--dry-run` lists what would be copied and touches nothing (no blob, no file, no job record).
"""
from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from ferry_live.blobs import account_sas, new_container, service_client
from ferry_live.ferry_cli import ferry_for, job_ids, parse_ndjson
from ferry_live.files import tree_files, write_random_file

MiB = 1 << 20
WRITE_OPS = {"PutBlob", "PutBlock", "PutBlockList", "DeleteBlob", "SetBlobMetadata", "SetBlobProperties",
             "CreateContainer", "DeleteContainer"}


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@pytest.fixture
def small_tree(tmp_path) -> Path:
    root = tmp_path / "tree"
    write_random_file(root / "big.bin", 9 * MiB + 1, 71)
    write_random_file(root / "sub dir/ünï.txt", 1234, 72)
    write_random_file(root / "empty.bin", 0, 73)
    return root


def test_json_output_is_ndjson_with_start_progress_and_end(emulator, small_tree, tmp_path):
    container = new_container(emulator, prefix="json").container_name
    ferry = ferry_for(tmp_path, emulator)
    total = sum(tree_files(small_tree).values())
    # ~9.4 MB at 12 Mbit/s ≥ 6 s (the cap is a lower bound): at least two 2-second progress events.
    run = ferry.run("copy", str(small_tree), f"{emulator.url}/{container}", "--recursive", "--block-size-mb", "1",
                    "--cap-mbps", "12", "--output-type", "json")
    events = parse_ndjson(run.stdout)  # fails on any non-JSON line
    kinds = [e.get("type") for e in events]
    assert kinds[0] == "start" and kinds[-1] == "end", kinds
    assert kinds.count("progress") >= 2, kinds
    job = events[0]["jobId"]
    assert isinstance(job, str) and job and all(e.get("jobId") == job for e in events), kinds
    assert job_ids(ferry.home) == [job], "the job id in the events names the job database"

    for event in events:
        assert isinstance(event.get("time"), str), event
        for field, value in event.items():
            if field in {"percent", "bytesDone", "bytesTotal", "filesDone", "filesFailed", "filesSkipped",
                         "filesTotal", "elapsedSeconds", "bytesPerSecond"}:
                assert is_number(value), f"{event['type']}.{field} is {value!r}, not a JSON number"
    progress = [e for e in events if e["type"] == "progress"]
    done = [e["bytesDone"] for e in progress]
    assert done == sorted(done), f"bytesDone went backwards: {done}"
    assert all(0 <= e["percent"] <= 100 for e in progress)
    for field in ("bytesDone", "filesDone", "percent", "elapsedSeconds"):
        assert field in progress[0], f"progress event lacks {field}: {progress[0]}"

    end = events[-1]
    assert end["state"] == "completed"
    assert end["bytesDone"] == total and end["filesDone"] == 3 and end["filesFailed"] == 0, end
    assert isinstance(end["bytesDone"], int) and is_number(end["elapsedSeconds"]), end


def test_exit_1_when_some_files_fail(emulator, tmp_path):
    """Two blobs, one with a Content-MD5 and one without (a block blob committed without one — Put
    Blob would get one from the service); `--check-md5 fail-if-different-or-missing` fails the
    second and copies the first: exit 1, one `fileFailed` event."""
    container = new_container(emulator, prefix="partial").container_name
    ferry = ferry_for(tmp_path, emulator)
    url = f"{emulator.url}/{container}/set"
    with_md5 = write_random_file(tmp_path / "src" / "with-md5.bin", 2000, 74)
    without_md5 = write_random_file(tmp_path / "src" / "without-md5.bin", 2 * MiB + 1, 75)
    ferry.run("copy", str(with_md5), f"{url}/", "--put-md5")
    ferry.run("copy", str(without_md5), f"{url}/", "--block-size-mb", "1")
    stored = {b.name: b.content_settings.content_md5 for b in
              service_client(emulator).get_container_client(container).list_blobs()}
    assert stored["set/with-md5.bin"] and not stored["set/without-md5.bin"], stored

    target = tmp_path / "down"
    target.mkdir()
    run = ferry.run("copy", url, str(target), "--recursive", "--check-md5", "fail-if-different-or-missing",
                    "--output-type", "json", expect=1)
    failed = [e for e in parse_ndjson(run.stdout) if e.get("type") == "fileFailed"]
    assert len(failed) == 1 and failed[0]["path"].endswith("without-md5.bin"), run.describe()
    assert failed[0]["code"] == "checksumMismatch", failed
    end = run.event("end")
    assert end["filesDone"] == 1 and end["filesFailed"] == 1, end
    assert (target / "set" / "with-md5.bin").read_bytes() == with_md5.read_bytes()
    assert not (target / "set" / "without-md5.bin").exists()


def test_exit_3_on_a_wrong_key(emulator, small_tree, tmp_path):
    container = new_container(emulator, prefix="wrongkey").container_name
    wrong = base64.b64encode(os.urandom(64)).decode()
    ferry = ferry_for(tmp_path, env={"AZURE_STORAGE_ACCOUNT": emulator.account, "AZURE_STORAGE_KEY": wrong})
    text = ferry.run("copy", str(small_tree), f"{emulator.url}/{container}", "--recursive", expect=3)
    assert "error:" in text.stderr, text.describe()
    json_run = ferry.run("copy", str(small_tree), f"{emulator.url}/{container}", "--recursive",
                         "--output-type", "json", expect=3)
    events = parse_ndjson(json_run.stdout)
    assert events and events[-1]["type"] == "end", json_run.describe()
    assert emulator.stats()["failedAuth"] > 0
    assert list(service_client(emulator).get_container_client(container).list_blobs()) == []


@pytest.mark.parametrize("args", [
    ["copy", "{src}", "{url}", "--recursive", "--no-such-flag"],
    ["copy", "{src}", "{url}", "--recursive", "--block-size-mb", "0"],
    ["copy", "{src}", "{url}", "--recursive", "--overwrite", "sometimes"],
    ["copy", "{src}", "{url}"],  # a directory without --recursive
    ["copy", "{src}", "ftp://example.invalid/x", "--recursive"],
    ["copy", "{src}"],
], ids=["unknown-flag", "bad-block-size", "bad-overwrite", "directory-without-recursive", "bad-scheme",
        "missing-destination"])
def test_exit_64_usage_error_is_one_error_line(emulator, small_tree, tmp_path, args):
    container = new_container(emulator, prefix="usage").container_name
    ferry = ferry_for(tmp_path, emulator)
    argv = [a.format(src=small_tree, url=f"{emulator.url}/{container}") for a in args]
    run = ferry.run(*argv, expect=64)
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), f"stderr should be one `error: …` line:\n{run.stderr}"
    assert run.stdout == "", run.describe()
    assert job_ids(ferry.home) == [], "a usage error must not record a job"


def test_dry_run_touches_nothing(emulator, small_tree, tmp_path):
    container = new_container(emulator, prefix="dryrun").container_name
    ferry = ferry_for(tmp_path, emulator)
    url = f"{emulator.url}/{container}"
    emulator.reset_stats()

    text = ferry.run("copy", str(small_tree), url, "--recursive", "--dry-run")
    for name in ("big.bin", "empty.bin", "ünï.txt"):
        assert name in text.stdout, text.describe()
    as_json = ferry.run("copy", str(small_tree), url, "--recursive", "--dry-run", "--output-type", "json")
    events = parse_ndjson(as_json.stdout)
    assert len(events) == 3, as_json.describe()
    stats = emulator.stats()
    writes = {op: n for op, n in stats["requests"].items() if op in WRITE_OPS}
    assert writes == {}, f"dry run sent write requests: {writes}"
    assert list(service_client(emulator).get_container_client(container).list_blobs()) == []
    assert job_ids(ferry.home) == [], "a dry run must not record a job"

    # Downward: the target folder stays empty.
    ferry.run("copy", str(small_tree), url, "--recursive")
    target = tmp_path / "down"
    target.mkdir()
    emulator.reset_stats()
    down = ferry.run("copy", f"{url}/tree", str(target), "--recursive", "--dry-run")
    assert "big.bin" in down.stdout, down.describe()
    assert list(target.iterdir()) == [], "a download dry run created files"
    assert emulator.stats()["requests"].get("GetBlob", 0) == 0, "a dry run downloaded data"
    assert len(job_ids(ferry.home)) == 1, "only the real copy is recorded"


def test_missing_container_is_created_like_rclone_does(emulator, tmp_path):
    """With rights to create it, a destination container that does not exist is created once and
    every file lands in it."""
    root = tmp_path / "many"
    for i in range(20):
        write_random_file(root / f"f{i:03d}.txt", 100, 900 + i)
    ferry = ferry_for(tmp_path, emulator)
    emulator.reset_stats()
    run = ferry.run("copy", str(root), f"{emulator.url}/new-container", "--recursive")
    assert emulator.stats()["requests"].get("CreateContainer", 0) == 1
    names = {b.name for b in service_client(emulator).get_container_client("new-container").list_blobs()}
    assert names == {f"many/f{i:03d}.txt" for i in range(20)}, run.describe()


def test_missing_container_without_create_rights_stops_the_job_instead_of_failing_every_file(emulator, tmp_path):
    """A SAS that may write objects but not create containers (srt=o), aimed at a container that
    does not exist: every file would fail the same way, so the job stops at the first 404
    ContainerNotFound with one clear error (not one request and one line per file — a corpus of a
    million files would make a million requests)."""
    root = tmp_path / "many"
    for i in range(200):
        write_random_file(root / f"f{i:03d}.txt", 100, 900 + i)
    ferry = ferry_for(tmp_path, emulator, env={})
    sas = account_sas(emulator, permission="rwl", resource_types="o")
    emulator.reset_stats()
    run = ferry.run("copy", str(root), f"{emulator.url}/no-such-container?{sas}", "--recursive",
                    "--concurrency", "2", expect=None)
    assert run.returncode == 1, run.describe()
    attempts = emulator.stats()["requests"].get("PutBlob", 0)
    assert attempts <= 8, f"{attempts} uploads tried against a missing container"
    error_lines = [line for line in run.stderr.splitlines() if "ContainerNotFound" in line or "container" in line]
    assert error_lines and len(run.stderr.splitlines()) <= 5, run.stderr[-3000:]
