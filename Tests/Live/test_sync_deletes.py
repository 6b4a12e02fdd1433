"""`ferry sync` deletion safety in every direction: `--delete-destination false|prompt|true`,
`--max-delete N` and `N%`, an empty source, excluded paths, and `--dry-run` (text and NDJSON).
What the destination holds is read with the SDK / boto3 / the file system; "nothing changed" is
the server's count of write requests (or the local files' inodes and times)."""
from __future__ import annotations

import pytest

from ferry_live.sync_fixtures import metered_seaweed, pair  # noqa: F401 (fixtures)
from ferry_live.sync_pairs import DIRECTIONS

pytestmark = pytest.mark.parametrize("pair", DIRECTIONS, indirect=True)

SMALL = {f"keep/{i:02d}.txt": f"file {i}\n".encode() * (i + 1) for i in range(7)}
SMALL.update({"a.txt": b"aaa", "dir/b.txt": b"bbbb", "dir/sub/c.txt": b"ccccc"})  # 10 files


def synced(pair) -> dict[str, bytes]:
    files = dict(SMALL)
    pair.seed(files)
    pair.sync()
    pair.assert_mirrored(files)
    return files


def assert_untouched(pair, before, files, what: str) -> None:
    after = pair.measure()
    assert pair.dst_writes(before, after) == {}, f"{pair.direction}: {what} changed the destination"
    pair.assert_mirrored(files)


def test_deleted_at_source_under_each_delete_destination_mode(pair):
    files = synced(pair)
    pair.src.remove("a.txt")
    remaining = {p: d for p, d in files.items() if p != "a.txt"}

    before = pair.measure()
    kept = pair.sync("--delete-destination", "false")
    assert_untouched(pair, before, files, "--delete-destination false")

    before = pair.measure()
    declined = pair.sync("--delete-destination", "prompt", expect=4)  # stdin is not a terminal
    assert "error:" in declined.stderr, declined.describe()
    assert_untouched(pair, before, files, "--delete-destination prompt without a terminal")

    deleted = pair.sync("--delete-destination", "true")
    pair.assert_mirrored(remaining)
    events = [e for e in deleted.events if e.get("type") == "deleted"]
    assert len(events) == 1 and events[0]["path"].endswith("/a.txt"), deleted.describe()
    assert deleted.event("end")["filesDeleted"] == 1, deleted.describe()
    assert kept.event("end").get("filesDeleted") == 0, f"the end event has no filesDeleted: {kept.event('end')}"


def test_max_delete_by_count_and_percent_stops_before_deleting_anything(pair):
    files = synced(pair)
    for path in ("a.txt", "dir/b.txt", "dir/sub/c.txt"):  # 3 of the destination's 10 objects
        pair.src.remove(path)

    for limit in ("2", "20%"):
        before = pair.measure()
        stopped = pair.sync("--delete-destination", "true", "--max-delete", limit, expect=4)
        assert "error:" in stopped.stderr, stopped.describe()
        assert not [e for e in stopped.events if e.get("type") == "deleted"], stopped.describe()
        assert_untouched(pair, before, files, f"--max-delete {limit}")

    done = pair.sync("--delete-destination", "true", "--max-delete", "30%")  # exactly 3 of 10
    assert done.event("end")["filesDeleted"] == 3, done.describe()
    pair.assert_mirrored({p: d for p, d in files.items() if p.startswith("keep/")})


def test_an_empty_source_never_empties_the_destination(pair):
    files = synced(pair)
    for path in files:
        pair.src.remove(path)
    assert pair.src.files() == {}

    before = pair.measure()
    stopped = pair.sync("--delete-destination", "true", expect=4)
    assert "error:" in stopped.stderr, stopped.describe()
    assert_untouched(pair, before, files, "a sync from an empty source")


def test_excluded_paths_are_neither_copied_nor_deleted(pair):
    files = synced(pair)
    pair.seed({"logs/new.log": b"new log", "cache/x.tmp": b"tmp", "dir/y.tmp": b"tmp2"})
    for path, data in {"logs/old.log": b"old log", "stale.tmp": b"s", "dir/sub/z.tmp": b"z",
                       "stale.txt": b"stale"}.items():
        pair.dst.put(path, data)  # destination-only objects

    run = pair.sync("--delete-destination", "true", "--exclude-pattern", "*.tmp;*.bak",
                    "--exclude-path", "logs")
    got = pair.dst.files()
    assert "logs/new.log" not in got and "cache/x.tmp" not in got and "dir/y.tmp" not in got, sorted(got)
    assert got.get("logs/old.log") == b"old log", "an excluded path was deleted"
    assert got.get("stale.tmp") == b"s" and got.get("dir/sub/z.tmp") == b"z", "an excluded pattern was deleted"
    assert "stale.txt" not in got, "the sync did not delete the one destination-only file it may delete"
    assert {p: got[p] for p in files} == files
    assert run.event("end")["filesDeleted"] == 1, run.describe()


def test_dry_run_lists_every_copy_and_delete_and_changes_nothing(pair):
    files = synced(pair)
    pair.src.remove("a.txt")
    pair.seed({"new-one.txt": b"brand new"})

    for json in (False, True):
        before = pair.measure()
        run = pair.sync("--dry-run", "--delete-destination", "true", json=json)
        after = pair.measure()
        assert pair.dst_writes(before, after) == {}, f"{pair.direction}: --dry-run wrote"
        assert pair.src_reads(before, after) == {}, f"{pair.direction}: --dry-run read object bodies"
        pair.assert_mirrored(files)
        if json:
            copies = [e for e in run.events if e.get("type") == "dryRun"]
            deletes = [e for e in run.events if e.get("type") == "dryRunDelete"]
            assert len(copies) == 1 and copies[0]["path"].endswith("/new-one.txt"), run.describe()
            assert copies[0]["destination"].endswith("/new-one.txt") and copies[0]["bytesTotal"] == 9, copies
            assert len(deletes) == 1 and deletes[0]["path"].endswith("/a.txt"), run.describe()
        else:
            lines = run.stdout.splitlines()
            copy = [l for l in lines if l.startswith("DRYRUN: copy ")]
            delete = [l for l in lines if l.startswith("DRYRUN: delete ")]
            assert len(copy) == 1 and copy[0].endswith("/new-one.txt"), run.stdout
            assert f"{pair.src.url}/new-one.txt to " in copy[0], copy
            assert len(delete) == 1 and delete[0].endswith("/a.txt"), run.stdout
            assert "DRYRUN: 1 file(s) would be copied, 1 object(s) would be deleted" in lines, run.stdout
