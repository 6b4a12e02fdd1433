"""`ferry sync` in every direction (local→Azure, Azure→local, local→S3, S3→local, Azure→S3) against
the contract in notes/SYNC-CONTRACT.md: what is copied, what is skipped, and that a no-op sync is a
no-op on the SERVER (emulator `/__ferry/stats`, SeaweedFS Prometheus counters, local inodes and
times) — never judged from Ferry's own output. Contents are read back with Microsoft's SDK, boto3
and the file system. Deletion safety: test_sync_deletes.py; names: test_sync_names.py.
"""
from __future__ import annotations

import os
import shutil
import time

import pytest

from ferry_live.ferry_cli import Ferry, parse_ndjson
from ferry_live.sync_fixtures import metered_seaweed, pair  # noqa: F401 (fixtures)
from ferry_live.sync_pairs import DIRECTIONS, tree_bytes, wait_for_new_second
from ferry_live.sync_sides import LocalSide

pytestmark = pytest.mark.parametrize("pair", DIRECTIONS, indirect=True)

DATA_WRITES = {"PutBlob", "PutBlock", "PutBlockList", "PUT", "POST", "bytesIn"}


def test_first_sync_copies_everything_and_the_second_sends_nothing(pair):
    files = tree_bytes()
    pair.seed(files)
    first = pair.sync()
    end = first.event("end")
    assert end["filesDone"] == len(files) and end["filesFailed"] == 0, first.describe()
    pair.assert_mirrored(files)
    if pair.dst.kind == "local" and pair.src.kind == "azure":  # a download gets the source's time
        for path in files:
            modified = pair.src.properties(path).last_modified.timestamp()
            assert abs(pair.dst.mtime(path) - modified) < 1, f"{path}: local mtime is not the blob's"
    if pair.dst.kind == "local" and pair.src.kind == "s3":
        for path in files:
            modified = pair.src.head(path)["LastModified"].timestamp()
            assert abs(pair.dst.mtime(path) - modified) < 1, f"{path}: local mtime is not the object's"
    if pair.dst.kind == "azure":
        assert "ferrymtime" in pair.dst.properties("a.txt").metadata, pair.dst.properties("a.txt").metadata
    if pair.dst.kind == "s3":
        assert "ferrymtime" in pair.dst.head("a.txt")["Metadata"], pair.dst.head("a.txt")["Metadata"]

    before = pair.measure()
    second = pair.sync()
    after = pair.measure()
    assert pair.dst_writes(before, after) == {}, f"{pair.direction}: the no-op sync wrote to the destination"
    assert pair.src_reads(before, after) == {}, f"{pair.direction}: the no-op sync read object bodies"
    end = second.event("end")
    assert (end["filesDone"], end["filesSkipped"]) == (0, len(files)), second.describe()
    pair.assert_mirrored(files)

    listing = pair.ferry.run("jobs", "list", "--output-type", "json")
    listed = parse_ndjson(listing.stdout)
    jobs = {e.get("jobId"): e.get("state") for e in listed}
    assert jobs == {first.job_id: "completed", second.job_id: "completed"}, f"ferry jobs list: {listed}"
    assert end.get("filesDeleted") == 0, f"the end event has no filesDeleted: {end}"


def test_a_same_size_change_with_a_new_mtime_is_sent_and_nothing_else(pair):
    files = tree_bytes()
    pair.seed(files)
    pair.sync()
    changed = bytes(reversed(files["dir/b.bin"]))
    assert len(changed) == len(files["dir/b.bin"]) and changed != files["dir/b.bin"]
    if pair.src.kind == "local":
        pair.src.put("dir/b.bin", changed, mtime=time.time())
    else:
        wait_for_new_second()
        pair.src.put("dir/b.bin", changed)
    files["dir/b.bin"] = changed

    before = pair.measure()
    run = pair.sync()
    after = pair.measure()
    pair.assert_mirrored(files)
    assert run.event("end")["filesDone"] == 1, run.describe()
    written = pair.dst_writes(before, after)
    if pair.dst.kind == "local":
        assert set(written) == {"dir/b.bin"}, f"files other than the changed one were rewritten: {written}"
    else:
        assert 0 < written.get("bytesIn", 0) < len(changed) + 64 * 1024, f"bytes sent: {written}"
    if pair.src.kind == "azure":
        assert pair.src_reads(before, after) == {"GetBlob": 1}, pair.src_reads(before, after)
    if pair.src.kind == "s3":
        assert pair.src_reads(before, after) == {"bytesOut": len(changed)}, pair.src_reads(before, after)


def _edit_keeping_mtime(side, path: str, data: bytes) -> None:
    old = side.mtime(path)
    side.put(path, data, mtime=old)
    assert side.mtime(path) == old


def test_a_same_size_edit_with_the_old_mtime_is_caught_only_by_compare_hash(pair):
    """Local source: the source file is edited and its mtime set back. Downloads: the local copy
    is edited the same way. Azure→S3: another tool rewrites the S3 object (same size, no Ferry
    metadata, so a newer Last-Modified). The default rule misses each by design; --compare-hash
    must not."""
    files = tree_bytes()
    pair.seed(files)
    pair.sync()
    edited = files["dir/b.bin"][:100] + b"X" + files["dir/b.bin"][101:]
    if pair.src.kind == "local":
        _edit_keeping_mtime(pair.src, "dir/b.bin", edited)
        expected_default = dict(files)          # destination keeps the old bytes
        files["dir/b.bin"] = edited             # …until --compare-hash sends the new ones
    elif pair.dst.kind == "local":
        _edit_keeping_mtime(pair.dst, "dir/b.bin", edited)
        expected_default = {**files, "dir/b.bin": edited}
    else:
        pair.dst.put("dir/b.bin", edited)
        expected_default = {**files, "dir/b.bin": edited}

    before = pair.measure()
    pair.sync()
    after = pair.measure()
    pair.assert_mirrored(expected_default)
    assert pair.src_reads(before, after) == {}, "the default sync read a body it had no reason to read"
    if pair.dst.kind != "local":
        assert not (DATA_WRITES & set(pair.dst_writes(before, after))), pair.dst_writes(before, after)

    hashed = pair.sync("--compare-hash")
    pair.assert_mirrored(files)
    if pair.src.kind == "azure" and pair.dst.kind == "s3":
        # Known gap (issue note): the SDK-written Azure source has a Content-MD5 and no CRC-64;
        # Ferry's multipart S3 copy has a CRC-64 and no MD5 (its ETag is not one). No common
        # checksum without reading a remote side, so --compare-hash sends that file again too.
        assert hashed.event("end")["filesDone"] in (1, 2), hashed.describe()
        pytest.xfail("no common checksum between an SDK-written Azure blob and a multipart S3 copy")
    assert hashed.event("end")["filesDone"] == 1, hashed.describe()


def test_a_fresh_checkout_with_new_mtimes_and_the_same_bytes_sends_no_bytes(pair, tmp_path):
    """Uploads: the tree is checked out again elsewhere (new mtimes) and synced to the same place.
    Downloads: the local tree gets new mtimes. Azure→S3: the Azure source is written again from a
    fresh checkout by `ferry copy` (new ferrymtime, same bytes). The source of a download or of
    Azure→S3 is written by ferry so a CRC-64 is stored on both sides, as the contract requires."""
    files = tree_bytes()
    if pair.src.kind == "local":
        pair.seed(files)
    else:
        seed_with_ferry_copy(pair, files, tmp_path / "checkout-1")
    pair.sync()
    pair.assert_mirrored(files)

    src_url = None
    if pair.src.kind == "local":
        checkout = tmp_path / "checkout-2"
        for path in files:  # copyfile: same bytes, a new mtime (now)
            (checkout / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pair.src.root / path, checkout / path)
        src_url = str(checkout)
    elif pair.dst.kind == "local":
        pair.dst.touch_all(time.time() + 600)
    else:
        seed_with_ferry_copy(pair, files, tmp_path / "checkout-2", mtime=time.time() + 600)

    before = pair.measure()
    run = pair.sync(src_url=src_url)
    after = pair.measure()
    pair.assert_mirrored(files)
    assert pair.src_reads(before, after) == {}, f"{pair.direction}: source bodies were read again"
    sent = DATA_WRITES & set(pair.dst_writes(before, after))
    assert not sent, f"{pair.direction}: a fresh checkout re-sent data: {pair.dst_writes(before, after)}"
    assert run.event("end")["filesDone"] == 0, run.describe()


def seed_with_ferry_copy(pair, files: dict[str, bytes], checkout, mtime: float | None = None) -> None:
    """Writes `files` to the remote source with `ferry copy` from a local checkout (so the objects
    carry Ferry's CRC-64 and mtime), contents checked with the SDK/boto3 afterwards."""
    local = LocalSide(checkout / "tree")
    for path, data in files.items():
        local.put(path, data, mtime=mtime or time.time() - 3600)
    flags = ["--recursive", "--block-size-mb", "5", "--s3-endpoint", pair.src.seaweed.endpoint] \
        if pair.src.kind == "s3" else ["--recursive", "--block-size-mb", "5"]
    seeder = Ferry(checkout / "ferry-home", pair.ferry.env)
    parent = pair.src.url.rsplit("/", 1)[0]
    parent = parent + "/" if parent.startswith("s3://") else parent
    renamed = checkout / pair.src.url.rsplit("/", 1)[1]
    if not renamed.exists():
        os.rename(local.root, renamed)
    seeder.run("copy", str(renamed), parent, *flags)
    got = pair.src.files()
    assert got == files, f"seeding the source with ferry copy failed: {sorted(got)}"
