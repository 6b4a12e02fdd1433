"""`ferry ls` and `ferry rm` on all three endpoints: a local directory, the emulator (Azure Blob)
and SeaweedFS (S3). Objects are put and checked with Python's file API, Microsoft's
azure-storage-blob SDK and boto3 — never with Ferry — so Ferry's listing and deletes are
checked by someone else. S3 batching is proven by counting requests at a proxy in front of
SeaweedFS; Azure's parallel deletes by the emulator's `/__ferry/stats`."""
from __future__ import annotations

import base64
import os
import re
import struct
from datetime import datetime, timezone

import pytest

from ferry_live.counting_proxy import CountingProxy
from ferry_live.ferry_cli import Ferry, key_env
from ferry_live.stores import AzureStore, LocalStore, S3Store, Store


@pytest.fixture(params=["local", "azure", "s3"])
def store(request, tmp_path) -> Store:
    if request.param == "local":
        return LocalStore(tmp_path / "data", Ferry(tmp_path / "home"))
    if request.param == "azure":
        emulator = request.getfixturevalue("emulator")
        return AzureStore(emulator, Ferry(tmp_path / "home", key_env(emulator)))
    seaweed = request.getfixturevalue("seaweed")
    return S3Store(seaweed, Ferry(tmp_path / "home", seaweed.env))


TREE = {
    "ds/a.txt": b"abc",
    "ds/b.bin": bytes(range(256)) * 6,  # 1536 bytes: 1.5 KiB
    "ds/sub/c.txt": b"hello",
    "ds/sub/deep/d.txt": b"deep down",
    "ds/z/e.tmp": b"scratch",
    "ds/z/f.txt": b"eff",
    "dsx/outside.txt": b"shares the string prefix ds, not the directory",
    "other/keep.txt": b"keep me",
}


def under(prefix: str, names) -> list[str]:
    return sorted(name for name in names if name.startswith(prefix + "/"))


def text_rows(stdout: str) -> tuple[list[list[str]], str]:
    """(rows of `mtime size crc64 md5 path`, total line) of `ferry ls` text output."""
    lines = stdout.splitlines()
    assert lines and lines[-1].startswith("total: "), stdout
    return [line.split(None, 4) for line in lines[:-1]], lines[-1]


def iso_seconds(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()


# --- ls -------------------------------------------------------------------------------------------
def test_ls_first_level_shows_objects_and_directories(store):
    store.put_many(TREE)
    rows, total = text_rows(store.ls("ds").stdout)
    assert [row[4] for row in rows] == ["a.txt", "b.bin", "sub/", "z/"]
    sizes = {row[4]: row[1] for row in rows}
    assert sizes["a.txt"] == "3" and sizes["b.bin"] == "1536" and sizes["sub/"] == "DIR" and sizes["z/"] == "DIR"
    for row in rows:
        if row[1] != "DIR":
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row[0]), row
    assert total == "total: 2 objects, 1539 bytes, 2 directories"

    human_rows, human_total = text_rows(store.ls("ds", "--human-readable").stdout)
    human = {row[-1].split()[-1]: row for row in human_rows}
    assert "1.5 KiB" in " ".join(human["b.bin"]) and human_total == "total: 2 objects, 1.5 KiB, 2 directories"


def test_ls_recursive_json_matches_what_was_uploaded(store):
    store.put_many(TREE)
    run = store.ls("ds", "-r", "--output-type", "json")
    events = run.events
    summary = events[-1]
    objects = events[:-1]
    assert all(event["type"] == "object" for event in objects), objects
    expected = {name[len("ds/"):]: len(data) for name, data in TREE.items() if name.startswith("ds/")}
    assert {event["path"]: event["sizeBytes"] for event in objects} == expected
    assert summary == {"type": "summary", "objects": len(expected), "bytes": sum(expected.values()), "directories": 0}
    for event in objects:
        stored = store.mtime("ds/" + event["path"])
        assert abs(iso_seconds(event["lastModified"]) - stored) < 1.0, (event, stored)
    if store.kind in ("local", "azure"):  # both list in byte order of the name
        paths = [event["path"].encode() for event in objects]
        assert paths == sorted(paths)


def test_ls_filter_and_single_object(store):
    store.put_many(TREE)
    run = store.ls("ds", "-r", "--output-type", "json", "--include-pattern", "*.txt")
    assert sorted(e["path"] for e in run.events if e["type"] == "object") == ["a.txt", "sub/c.txt", "sub/deep/d.txt", "z/f.txt"]
    assert run.events[-1]["objects"] == 4
    by_path = store.ls("ds", "-r", "--output-type", "json", "--include-path", "sub").events
    assert sorted(e["path"] for e in by_path if e["type"] == "object") == ["sub/c.txt", "sub/deep/d.txt"]
    first_level = store.ls("ds", "--output-type", "json", "--exclude-path", "z").events
    assert [e["path"] for e in first_level if e["type"] != "summary"] == ["a.txt", "b.bin", "sub/"]
    rows, total = text_rows(store.ls("ds/sub/c.txt").stdout)
    assert [(row[1], row[4]) for row in rows] == [("5", "c.txt")] and total == "total: 1 objects, 5 bytes"


def test_ls_shows_stored_crc64_and_md5_on_azure(emulator, tmp_path):
    store = AzureStore(emulator, Ferry(tmp_path / "home", key_env(emulator)))
    data = b"checksummed bytes"
    import hashlib
    md5 = hashlib.md5(data).digest()
    crc_form = base64.b64encode(struct.pack("<Q", 0x0123456789ABCDEF)).decode()
    store.put("ck/one.bin", data, md5=md5, metadata={"ferrycrc64": crc_form})
    store.put("ck/plain.bin", b"no checksums claimed")
    objects = {e["path"]: e for e in store.ls("ck", "--output-type", "json").events if e["type"] == "object"}
    assert objects["one.bin"]["crc64"] == "0123456789abcdef"
    assert objects["one.bin"]["contentMD5"] == base64.b64encode(md5).decode()
    assert "crc64" not in objects["plain.bin"]
    rows, _ = text_rows(store.ls("ck").stdout)
    one = [row for row in rows if row[4] == "one.bin"][0]
    assert one[2] == "0123456789abcdef" and one[3] == base64.b64encode(md5).decode()


def test_ls_of_a_missing_local_directory_fails(tmp_path):
    run = Ferry(tmp_path / "home").run("ls", str(tmp_path / "nothing-here"), expect=1)
    assert run.stderr.strip().startswith("error: ") and len(run.stderr.strip().splitlines()) == 1


# --- rm -------------------------------------------------------------------------------------------
def test_rm_one_object(store):
    store.put_many(TREE)
    store.rm("ds/sub/c.txt")
    assert store.names() == sorted(set(TREE) - {"ds/sub/c.txt"})
    run = store.rm("ds/sub/c.txt", expect=1)  # gone now: nothing to delete
    assert run.stderr.startswith("error: ")


def test_rm_recursive_deletes_the_prefix_and_nothing_else(store):
    store.put_many(TREE)
    before = store.contents()
    run = store.rm("ds", "-r", "--force", "--output-type", "json")
    deleted = sorted(e["path"] for e in run.events if e["type"] == "deleted")
    expected = under("ds", TREE)
    assert len(deleted) == len(expected) and all(path.endswith(name[len("ds"):]) for path, name in zip(deleted, expected))
    assert run.events[-1]["type"] == "summary" and run.events[-1]["objectsDeleted"] == len(expected)
    after = store.contents()
    assert after == {name: data for name, data in before.items() if not name.startswith("ds/")}
    if store.kind == "local":  # the named directory stays; the emptied ones below it go
        assert (store.root / "ds").is_dir() and list((store.root / "ds").iterdir()) == []


def test_rm_with_a_filter_deletes_only_what_it_selects(store):
    store.put_many(TREE)
    store.rm("ds", "-r", "--force", "--exclude-pattern", "*.txt")
    assert store.names() == sorted(set(TREE) - {"ds/b.bin", "ds/z/e.tmp"})
    store.rm("ds", "-r", "--force", "--include-pattern", "c.txt;f.txt")
    assert store.names() == sorted(set(TREE) - {"ds/b.bin", "ds/z/e.tmp", "ds/sub/c.txt", "ds/z/f.txt"})
    store.rm("ds", "-r", "--force", "--include-path", "sub/deep")
    assert store.names() == sorted(set(TREE) - {"ds/b.bin", "ds/z/e.tmp", "ds/sub/c.txt", "ds/z/f.txt", "ds/sub/deep/d.txt"})


def test_rm_dry_run_touches_nothing(store):
    store.put_many(TREE)
    before = store.contents()
    if store.kind == "azure":
        store.emulator.reset_stats()
    text = store.rm("ds", "-r", "--dry-run")
    lines = text.stdout.splitlines()
    assert lines[-1] == f"DRYRUN: {len(under('ds', TREE))} object(s) would be deleted"
    assert len([line for line in lines if line.startswith("DRYRUN: delete ")]) == len(under("ds", TREE))
    as_json = store.rm("ds", "-r", "--dry-run", "--output-type", "json")
    assert len([e for e in as_json.events if e["type"] == "dryRunDelete"]) == len(under("ds", TREE))
    assert as_json.events[-1]["dryRun"] is True and as_json.events[-1]["objectsDeleted"] == 0
    single = store.rm("ds/a.txt", "--dry-run")
    assert single.stdout.splitlines()[-1] == "DRYRUN: 1 object(s) would be deleted"
    assert store.contents() == before
    if store.kind == "azure":
        assert store.emulator.stats()["requests"].get("DeleteBlob", 0) == 0


def test_recursive_rm_without_force_and_without_a_terminal_is_refused(store):
    store.put_many(TREE)
    before = store.contents()
    run = store.rm("ds", "-r", expect=4)
    assert run.stderr.strip().startswith("error: ") and len(run.stderr.strip().splitlines()) == 1
    assert "--force" in run.stderr
    assert store.contents() == before


def test_rm_without_r_on_a_prefix_is_a_usage_error(store):
    store.put_many(TREE)
    run = store.rm("ds", expect=64)
    assert run.stderr.startswith("error: ") and "-r" in run.stderr
    assert store.names() == sorted(TREE)


def test_local_rm_never_follows_symbolic_links(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_bytes(b"do not touch")
    store = LocalStore(tmp_path / "data", Ferry(tmp_path / "home"))
    store.put("ds/a.txt", b"a")
    os.symlink(outside, store.root / "ds" / "linked-dir")
    os.symlink(outside / "precious.txt", store.root / "ds" / "linked-file.txt")
    store.rm("ds", "-r", "--force")
    assert (outside / "precious.txt").read_bytes() == b"do not touch"
    assert (store.root / "ds" / "linked-dir").is_symlink() and (store.root / "ds" / "linked-file.txt").is_symlink()
    assert not (store.root / "ds" / "a.txt").exists()
    os.symlink(store.root / "ds", tmp_path / "link-to-ds")
    store.put("ds/b.txt", b"b")
    run = store.ferry.run("rm", str(tmp_path / "link-to-ds"), "-r", "--force", expect=64)
    assert "symbolic link" in run.stderr and (store.root / "ds" / "b.txt").exists()


# --- batching and parallel deletes, counted by the server side ------------------------------------
def test_s3_rm_of_2500_objects_uses_delete_objects_batches(seaweed, tmp_path):
    proxy = CountingProxy("127.0.0.1", seaweed.port)
    try:
        store = S3Store(seaweed, Ferry(tmp_path / "home", seaweed.env), endpoint=proxy.endpoint)
        many = {f"bulk/{index // 100:02d}/f{index:05d}.bin": b"x" * (index % 7) for index in range(2500)}
        store.put_many({**many, "keep/one.txt": b"1"})
        run = store.rm("bulk", "-r", "--force", "--output-type", "json")
        assert run.events[-1]["objectsDeleted"] == 2500
        assert store.names() == ["keep/one.txt"]
        assert proxy.count("POST", "delete") == 3, proxy.requests[:20]
        assert proxy.count("DELETE") == 0
    finally:
        proxy.close()


def test_azure_rm_deletes_each_blob_once_in_parallel(emulator, tmp_path):
    store = AzureStore(emulator, Ferry(tmp_path / "home", key_env(emulator)))
    many = {f"bulk/f{index:04d}.bin": b"y" for index in range(300)}
    store.put_many({**many, "keep/one.txt": b"1"})
    emulator.reset_stats()
    store.rm("bulk", "-r", "--force", "--concurrency", "16")
    assert store.names() == ["keep/one.txt"]
    assert emulator.stats()["requests"].get("DeleteBlob") == 300


def run_on_a_terminal(ferry: Ferry, args: list[str], answer: bytes) -> tuple[int, str]:
    """Runs ferry with a pseudo-terminal as stdin (and stderr), types `answer`; (exit code, what it showed)."""
    import pty
    import subprocess
    import time
    from ferry_live.ferry_cli import ferry_binary
    controller, terminal = pty.openpty()
    process = subprocess.Popen([ferry_binary(), *args], stdin=terminal, stdout=subprocess.PIPE, stderr=terminal,
                               env=ferry.environment())
    os.close(terminal)
    shown = b""
    deadline = time.monotonic() + 30
    while b"[y/N]" not in shown and time.monotonic() < deadline:
        shown += os.read(controller, 4096)
    os.write(controller, answer)
    process.wait(timeout=60)
    try:
        while True:
            chunk = os.read(controller, 4096)
            if not chunk:
                break
            shown += chunk
    except OSError:
        pass
    os.close(controller)
    return process.returncode, shown.decode(errors="replace")


def test_recursive_rm_on_a_terminal_asks_first(tmp_path):
    store = LocalStore(tmp_path / "data", Ferry(tmp_path / "home"))
    store.put_many(TREE)
    code, shown = run_on_a_terminal(store.ferry, ["rm", store.url("ds"), "-r"], b"n\n")
    assert "[y/N]" in shown and code == 4, shown
    assert store.names() == sorted(TREE)
    code, shown = run_on_a_terminal(store.ferry, ["rm", store.url("ds"), "-r"], b"y\n")
    assert code == 0, shown
    assert store.names() == sorted(name for name in TREE if not name.startswith("ds/"))


def test_ls_and_rm_with_a_sas_never_print_its_signature(emulator, tmp_path):
    from urllib.parse import parse_qs
    from ferry_live.blobs import container_sas
    store = AzureStore(emulator, Ferry(tmp_path / "home", {}))  # no key: the SAS is the only credential
    store.put_many(TREE)
    sas = container_sas(emulator, store.container.container_name, permission="rdl")
    signature = parse_qs(sas)["sig"][0]
    base = f"{store.url('ds')}?{sas}"
    runs = [store.ferry.run("ls", base, "-r", "--output-type", "json"),
            store.ferry.run("ls", base),
            store.ferry.run("rm", base, "-r", "--dry-run", "--output-type", "json"),
            store.ferry.run("rm", base, "-r", "--force", "--output-type", "json"),
            store.ferry.run("rm", f"{store.url('ds/a.txt')}?{sas}", expect=1)]
    assert len([e for e in runs[3].events if e["type"] == "deleted"]) == len(under("ds", TREE))
    for run in runs:
        assert signature not in run.stdout and signature not in run.stderr, run.describe()
    assert store.names() == sorted(name for name in TREE if not name.startswith("ds/"))
