"""Fidelity: AzCopy 10.18 with a SAS URL — a recursive upload of a ~200 MiB tree of 500+ files
(0 B to 50 MiB, nested folders, spaces and unicode in names) with --put-md5, a recursive download
with the default --check-md5, and `azcopy list`."""
from __future__ import annotations

import base64
import hashlib
import os
import random
import re
import time
from pathlib import Path

import pytest

from ferry_live.blobs import account_sas, container_sas, container_url, new_container, service_client
from ferry_live.files import assert_trees_identical, tree_files, write_random_file
from ferry_live.host_style_proxy import HostStyleProxy

KiB, MiB = 1 << 10, 1 << 20

# Sizes around AzCopy's 8 MiB block size and Put Blob limit, plus a long tail of small files.
LARGE_FILES = {
    "big/fifty mib.bin": 50 * MiB,
    "big/thirty-three.bin": 33 * MiB + 5,
    "big/twenty.bin": 20 * MiB,
    "big/exactly 8 MiB.bin": 8 * MiB,
    "big/8 MiB plus one.bin": 8 * MiB + 1,
    "big/16 MiB minus one.bin": 16 * MiB - 1,
}
ODD_NAMES = [
    "ünïcødé/日本語のフォルダ/ファイル.txt",
    "emoji 🚀/launch plan.md",
    "dir with spaces/sub dir/file with spaces.txt",
    "signs/a+b=c&d,e@f.txt",
    "signs/100% done.txt",
    "signs/(parens) [brackets] {braces}.txt",
    "empty/zero.bin",
    "deep/a/b/c/d/e/f/g/h/leaf.bin",
]


def build_tree(root: Path) -> dict[str, int]:
    """~200 MiB in 520 files; deterministic."""
    rng = random.Random(500)
    sizes = dict(LARGE_FILES)
    for i in range(16):
        sizes[f"medium/part {i:02d}.bin"] = rng.randint(1 * MiB, 5 * MiB)
    for i in range(490):
        folder = f"small/group-{i % 7}/bucket {i % 3}"
        sizes[f"{folder}/item-{i:03d}.dat"] = 0 if i % 50 == 0 else rng.randint(1, 64 * KiB)
    for name in ODD_NAMES:
        sizes[name] = 0 if "zero" in name else rng.randint(1, 4 * KiB)
    for seed, (name, size) in enumerate(sorted(sizes.items())):
        write_random_file(root / name, size, seed)
    return sizes


@pytest.fixture(scope="module")
def source_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("azcopy-source") / "src"
    sizes = build_tree(root)
    assert len(sizes) >= 500
    assert 180 * MiB < sum(sizes.values()) < 230 * MiB
    return root


LISTED = re.compile(r"^INFO: (.*);\s+Content Length:")


def listed_names(output: str) -> list[str]:
    """Blob names from `azcopy list` text lines: `INFO: <name>;  Content Length: <size>`."""
    return [m.group(1) for m in map(LISTED.match, output.splitlines()) if m]


def test_recursive_upload_download_and_list(emulator, azcopy, source_tree, tmp_path):
    container = new_container(emulator, prefix="azcopy").container_name
    upload_url = container_url(emulator, container, account_sas(emulator, permission="rwdlac", resource_types="sco"))
    azcopy.run("copy", str(source_tree), upload_url, "--recursive", "--from-to", "LocalBlob", "--put-md5",
               "--log-level", "INFO")

    expected = tree_files(source_tree)
    stored = {b.name: b for b in service_client(emulator).get_container_client(container).list_blobs()}
    assert sorted(stored) == sorted(f"src/{name}" for name in expected)
    for name, size in expected.items():
        blob = stored[f"src/{name}"]
        assert blob.size == size, f"{name}: stored size {blob.size} != {size}"
        md5 = hashlib.md5((source_tree / name).read_bytes()).digest()
        assert blob.content_settings.content_md5 == bytearray(md5), f"{name}: --put-md5 MD5 not stored"

    download = tmp_path / "download"
    download.mkdir()
    read_url = container_url(emulator, container, container_sas(emulator, container, permission="rl"))
    source_url = read_url.replace(f"/{container}?", f"/{container}/src?")
    azcopy.run("copy", source_url, str(download), "--recursive", "--from-to", "BlobLocal", "--log-level", "INFO")
    assert_trees_identical(source_tree, download / "src")

    # AzCopy 10.18 `list` rejects IP hosts; see ferry_live/host_style_proxy.py for this detour.
    proxy = HostStyleProxy(emulator.host, emulator.port)
    try:
        listing = azcopy.run("list", proxy.blob_url(emulator.account, container, container_sas(
            emulator, container, permission="rl")), "--machine-readable",
            extra_env={"HTTP_PROXY": proxy.url, "http_proxy": proxy.url, "NO_PROXY": "", "no_proxy": ""})
    finally:
        proxy.close()
    names = listed_names(listing.stdout)
    assert sorted(names) == sorted(f"src/{name}" for name in expected), \
        f"azcopy list named {len(names)} blobs, expected {len(expected)}"


def test_single_large_file_round_trip(emulator, azcopy, tmp_path):
    container = new_container(emulator, prefix="azcopy").container_name
    source = write_random_file(tmp_path / "one file.bin", 21 * MiB + 3, seed=21)
    sas = account_sas(emulator, permission="rwdlac", resource_types="sco")
    blob_url = f"{emulator.url}/{container}/nested/one file.bin?{sas}"
    azcopy.run("copy", str(source), blob_url, "--from-to", "LocalBlob", "--put-md5")

    blob = service_client(emulator).get_blob_client(container, "nested/one file.bin")
    committed, _ = blob.get_block_list("committed")
    assert len(committed) == 3, "AzCopy stages 8 MiB blocks for a 21 MiB file"
    expected_md5 = base64.b64encode(hashlib.md5(source.read_bytes()).digest())
    assert base64.b64encode(blob.get_blob_properties().content_settings.content_md5) == expected_md5

    target = tmp_path / "back.bin"
    azcopy.run("copy", blob_url, str(target), "--from-to", "BlobLocal")
    assert target.read_bytes() == source.read_bytes()


def test_upload_to_missing_container_fails(emulator, azcopy, tmp_path):
    source = write_random_file(tmp_path / "f.bin", 10, seed=1)
    sas = account_sas(emulator, permission="rwdlac", resource_types="sco")
    done = azcopy.run("copy", str(source), f"{emulator.url}/no-such-container/f.bin?{sas}",
                      "--from-to", "LocalBlob", check=False, timeout_seconds=120)
    failed_fast = done.returncode not in (0, 124)  # a bool: `done` holds the SAS
    assert failed_fast, azcopy.describe_failure(done)


def upload_one(emulator, azcopy, tmp_path, size: int, seed: int):
    """Uploads one file with --put-md5; returns (local path, blob URL with SAS)."""
    container = new_container(emulator, prefix="azcopy").container_name
    source = write_random_file(tmp_path / "payload.bin", size, seed=seed)
    sas = account_sas(emulator, permission="rwdlac", resource_types="sco")
    blob_url = f"{emulator.url}/{container}/payload.bin?{sas}"
    azcopy.run("copy", str(source), blob_url, "--from-to", "LocalBlob", "--put-md5")
    return source, blob_url


def test_azcopy_retries_through_busy_and_dropped_uploads(emulator, azcopy, tmp_path):
    emulator.set_faults(["busy:ops=PutBlock,count=2", "drop:ops=PutBlock,after=3,count=1"], seed=3)
    source, blob_url = upload_one(emulator, azcopy, tmp_path, 40 * MiB + 11, seed=40)
    rules = emulator.faults()["rules"]
    assert [r["hits"] for r in rules] == [2, 1], "every injected fault was met and retried"
    emulator.clear_faults()
    target = tmp_path / "back.bin"
    azcopy.run("copy", blob_url, str(target), "--from-to", "BlobLocal")
    assert target.read_bytes() == source.read_bytes()


def test_azcopy_retries_a_dropped_download(emulator, azcopy, tmp_path):
    source, blob_url = upload_one(emulator, azcopy, tmp_path, 20 * MiB, seed=20)
    emulator.set_faults(["drop:ops=GetBlob,count=1"])
    target = tmp_path / "back.bin"
    azcopy.run("copy", blob_url, str(target), "--from-to", "BlobLocal")
    assert emulator.faults()["rules"][0]["hits"] == 1
    assert target.read_bytes() == source.read_bytes()


def test_azcopy_check_md5_catches_a_corrupted_download(emulator, azcopy, tmp_path):
    _, blob_url = upload_one(emulator, azcopy, tmp_path, 3 * MiB, seed=3)
    emulator.set_faults(["corrupt:ops=GetBlob"])
    done = azcopy.run("copy", blob_url, str(tmp_path / "back.bin"), "--from-to", "BlobLocal",
                      check=False, timeout_seconds=300)
    failed = done.returncode not in (0, 124)  # a bool: `done` holds the SAS
    assert failed, "AzCopy must fail the transfer when the MD5 does not match\n" + azcopy.describe_failure(done)
    assert "md5" in (done.stdout + azcopy.log_tail(200)).lower()


def test_azcopy_sync_uploads_only_what_changed(emulator, azcopy, tmp_path):
    """`azcopy sync` lists the destination (delimiter + metadata), compares Last-Modified, uploads
    what is newer and, with --delete-destination, deletes what is gone locally."""
    source = tmp_path / "sync-src"
    an_hour_ago = time.time() - 3600
    for i in range(30):
        path = write_random_file(source / f"dir {i % 3}/ünï-{i:02d}.bin", 1000 + i * 5000, seed=i)
        # Listings give Last-Modified in whole seconds: a file written in the same second as its
        # upload would look newer than its blob and be sent again, on Azure too.
        os.utime(path, (an_hour_ago, an_hour_ago))
    container = new_container(emulator, prefix="sync").container_name
    url = container_url(emulator, container, account_sas(emulator, permission="rwdlac", resource_types="sco"))
    sync = ("sync", str(source), url, "--recursive", "--from-to", "LocalBlob")

    azcopy.run(*sync)
    blobs = service_client(emulator).get_container_client(container)
    assert sorted(b.name for b in blobs.list_blobs()) == sorted(tree_files(source))

    emulator.reset_stats()
    azcopy.run(*sync)
    requests = emulator.stats()["requests"]
    assert requests.get("PutBlob", 0) + requests.get("PutBlock", 0) == 0, f"nothing changed, yet: {requests}"
    assert requests.get("ListBlobs", 0) >= 1

    changed = source / "dir 1/ünï-04.bin"
    changed.write_bytes(b"new content")
    future = time.time() + 3600
    os.utime(changed, (future, future))
    (source / "dir 2/ünï-05.bin").unlink()
    emulator.reset_stats()
    azcopy.run(*sync, "--delete-destination", "true")
    requests = emulator.stats()["requests"]
    assert requests.get("PutBlob", 0) == 1 and requests.get("DeleteBlob", 0) == 1, requests
    assert sorted(b.name for b in blobs.list_blobs()) == sorted(tree_files(source))
    assert blobs.download_blob("dir 1/ünï-04.bin").readall() == b"new content"
