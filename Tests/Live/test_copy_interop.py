"""Interop: what Ferry uploads, Microsoft's clients read back byte-identical (the Python SDK, and
AzCopy 10.18 with `--check-md5 FailIfDifferentOrMissing` after `ferry copy --put-md5`); what AzCopy
uploads in many blocks, Ferry downloads byte-identical with `--check-md5 fail-if-different-or-missing`."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ferry_live.blobs import account_sas, container_url, new_container, service_client
from ferry_live.ferry_cli import ferry_for
from ferry_live.files import assert_trees_identical, tree_files, write_random_file

KiB, MiB = 1 << 10, 1 << 20

TREE = {
    "empty.bin": 0,
    "one.bin": 1,
    "kib.bin": KiB,
    "edges/1 MiB minus one.bin": MiB - 1,
    "edges/1 MiB plus one.bin": MiB + 1,
    "shards/nine MiB.bin": 9 * MiB,
    "shards/twenty MiB + 3.bin": 20 * MiB + 3,
    "ünïcødé/日本語/ファイル with space.txt": 2 * KiB + 1,
}


@pytest.fixture(scope="module")
def interop_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("interop") / "dataset"
    for seed, (name, size) in enumerate(sorted(TREE.items())):
        write_random_file(root / name, size, seed + 300)
    return root


def test_ferry_upload_reads_back_identical_with_sdk_and_azcopy(emulator, azcopy, interop_tree, tmp_path):
    container = new_container(emulator, prefix="ferryup").container_name
    ferry = ferry_for(tmp_path, emulator)
    ferry.run("copy", str(interop_tree), f"{emulator.url}/{container}", "--recursive", "--block-size-mb", "1",
              "--put-md5")

    # The SDK: every blob's bytes, and the Content-MD5 Ferry stored, match the source file.
    client = service_client(emulator).get_container_client(container)
    stored = {b.name: b for b in client.list_blobs()}
    assert sorted(stored) == sorted(f"dataset/{name}" for name in TREE)
    for name in TREE:
        data = (interop_tree / name).read_bytes()
        blob = f"dataset/{name}"
        assert client.download_blob(blob).readall() == data, blob
        md5 = stored[blob].content_settings.content_md5
        assert md5 is not None and bytes(md5) == hashlib.md5(data).digest(), f"{blob}: Content-MD5 {md5!r}"
    twenty = client.get_blob_client("dataset/shards/twenty MiB + 3.bin").get_block_list("committed")[0]
    assert len(twenty) == 21, "a 20 MiB + 3 file in 1 MiB blocks is 21 blocks"

    # AzCopy: a recursive download that insists on a Content-MD5 for every file, and checks it.
    sas = account_sas(emulator, permission="rl", resource_types="sco")
    target = tmp_path / "azcopy-down"
    target.mkdir()
    azcopy.run("copy", container_url(emulator, f"{container}/dataset", sas), str(target), "--recursive",
               "--check-md5", "FailIfDifferentOrMissing", "--from-to", "BlobLocal")
    assert_trees_identical(interop_tree, target / "dataset")


def test_azcopy_multi_block_upload_downloads_identical_with_ferry(emulator, azcopy, interop_tree, tmp_path):
    container = new_container(emulator, prefix="azcopyup").container_name
    sas = account_sas(emulator, permission="rwdlac", resource_types="sco")
    azcopy.run("copy", str(interop_tree), container_url(emulator, container, sas), "--recursive",
               "--block-size-mb", "1", "--put-md5", "--from-to", "LocalBlob")
    client = service_client(emulator).get_container_client(container)
    blocks = client.get_blob_client("dataset/shards/nine MiB.bin").get_block_list("committed")[0]
    assert len(blocks) == 9, f"AzCopy was asked for 1 MiB blocks; got {len(blocks)} blocks"

    target = tmp_path / "ferry-down"
    target.mkdir()
    ferry = ferry_for(tmp_path, emulator)
    run = ferry.run("copy", f"{emulator.url}/{container}/dataset", str(target), "--recursive",
                    "--check-md5", "fail-if-different-or-missing", "--block-size-mb", "2", "--output-type", "json")
    end = run.event("end")
    assert end["filesDone"] == len(TREE) and end["filesFailed"] == 0, run.describe()
    assert_trees_identical(interop_tree, target / "dataset")
    assert not [n for n in tree_files(target) if ".ferry-" in n], "partial/temp files left behind"

    # Ferry overwrites AzCopy's multi-block blobs (other block IDs, other ID length) with new content,
    # then AzCopy overwrites Ferry's: each reads back what the other wrote.
    changed = tmp_path / "changed" / "dataset"
    for seed, (name, size) in enumerate(sorted(TREE.items())):
        write_random_file(changed / name, size, seed + 700)
    ferry.run("copy", str(changed), f"{emulator.url}/{container}", "--recursive", "--block-size-mb", "2")
    for name in TREE:
        assert client.download_blob(f"dataset/{name}").readall() == (changed / name).read_bytes(), name
    azcopy.run("copy", str(interop_tree), container_url(emulator, container, sas), "--recursive",
               "--block-size-mb", "1", "--overwrite", "true", "--from-to", "LocalBlob")
    for name in TREE:
        assert client.download_blob(f"dataset/{name}").readall() == (interop_tree / name).read_bytes(), name


def test_ferry_download_with_sas_url_of_sdk_uploaded_blob(emulator, tmp_path):
    """A blob uploaded by the SDK in blocks (no Ferry metadata, no MD5) comes down intact via a SAS URL."""
    container = new_container(emulator, prefix="sdkup", max_block_size=MiB, max_single_put_size=MiB)
    source = write_random_file(tmp_path / "sdk.bin", 5 * MiB + 123, 42)
    container.upload_blob("sdk.bin", source.read_bytes())
    assert len(container.get_blob_client("sdk.bin").get_block_list("committed")[0]) == 6
    sas = account_sas(emulator, permission="rl", resource_types="sco")
    target = tmp_path / "out.bin"
    ferry_for(tmp_path, env={}).run("copy", container_url(emulator, f"{container.container_name}/sdk.bin", sas),
                                    str(target), "--block-size-mb", "1")
    assert target.read_bytes() == source.read_bytes()
