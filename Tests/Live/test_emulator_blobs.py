"""Fidelity: Microsoft's Python SDK (azure-storage-blob) uploads, downloads, ranges, metadata,
overwrite rules and deletes against ferry-emulator."""
from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError

from ferry_live.blobs import new_container, service_client
from ferry_live.files import random_bytes

KiB, MiB = 1 << 10, 1 << 20
SIZES = [0, 1 * KiB, 9 * MiB, 100 * MiB]
SIZE_IDS = ["0B", "1KiB", "9MiB", "100MiB"]


def block_size_for(size: int) -> int:
    """Small blocks so that even 1 KiB is staged in several blocks."""
    return 256 if size < MiB else 1 * MiB


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("mode", ["single-shot", "staged-blocks"])
def test_upload_then_download_whole_and_ranges(emulator, size, mode):
    data = random_bytes(size, seed=size + 1)
    if mode == "single-shot":
        container = new_container(emulator, max_single_put_size=128 * MiB)
    else:
        container = new_container(emulator, max_single_put_size=128, max_block_size=block_size_for(size))
    blob = container.get_blob_client(f"dir/{mode} {size}.bin")

    if mode == "staged-blocks" and size == 0:
        # The SDK always sends Put Blob for 0 bytes; stage nothing and commit the empty list.
        blob.commit_block_list([])
    else:
        blob.upload_blob(data, max_concurrency=8)

    committed, _ = blob.get_block_list("committed")
    if mode == "staged-blocks":
        expected_blocks = -(-size // block_size_for(size))
        assert len(committed) == expected_blocks, "the upload was not staged in blocks"
        assert sum(b.size for b in committed) == size

    assert blob.get_blob_properties().size == size
    assert blob.download_blob(max_concurrency=8).readall() == data
    # Many parallel ranged GETs: a 2 MiB first GET, then 1 MiB chunks.
    chunky = service_client(emulator, max_single_get_size=2 * MiB, max_chunk_get_size=1 * MiB)
    chunky_blob = chunky.get_blob_client(container.container_name, blob.blob_name)
    assert chunky_blob.download_blob(max_concurrency=8).readall() == data
    for offset, length in _ranges(size):
        got = blob.download_blob(offset=offset, length=length).readall()
        assert got == data[offset:offset + length], f"range {offset}+{length}"


def _ranges(size: int) -> list[tuple[int, int]]:
    if size == 0:
        return []
    picks = [(0, 1), (size - 1, 1), (size // 3, max(1, size // 5)), (0, size)]
    if size > 8 * MiB:
        picks += [(4 * MiB - 3, 7), (size - 5 * MiB, 5 * MiB), (MiB + 17, 33 * MiB if size > 40 * MiB else MiB)]
    return picks


def test_chunked_parallel_download_reassembles(emulator):
    data = random_bytes(9 * MiB + 123, seed=5)
    container = new_container(emulator, max_single_get_size=2 * MiB, max_chunk_get_size=1 * MiB)
    blob = container.get_blob_client("chunked.bin")
    blob.upload_blob(data)
    assert blob.download_blob(max_concurrency=8).readall() == data


def test_range_end_past_eof_is_clamped(emulator):
    data = random_bytes(1000, seed=6)
    blob = new_container(emulator).get_blob_client("short.bin")
    blob.upload_blob(data)
    assert blob.download_blob(offset=990, length=500).readall() == data[990:]


def test_metadata_round_trip(emulator):
    container = new_container(emulator)
    blob = container.get_blob_client("meta.bin")
    metadata = {"project": "ferry", "Mixed_Case": "Value with spaces", "empty_ok": "x"}
    blob.upload_blob(b"payload", metadata=metadata)
    assert blob.get_blob_properties().metadata == metadata
    assert blob.download_blob().properties.metadata == metadata

    listed = {b.name: b.metadata for b in container.list_blobs(include=["metadata"])}
    assert listed["meta.bin"] == metadata

    blob.set_blob_metadata({"replaced": "yes"})
    assert blob.get_blob_properties().metadata == {"replaced": "yes"}, "Set Metadata must replace all"
    assert blob.download_blob().readall() == b"payload", "Set Metadata must not touch content"


def test_metadata_on_staged_upload(emulator):
    container = new_container(emulator, max_single_put_size=128, max_block_size=256)
    blob = container.get_blob_client("staged-meta.bin")
    blob.upload_blob(random_bytes(1000, 7), metadata={"k": "v"})
    assert blob.get_blob_properties().metadata == {"k": "v"}


@pytest.mark.parametrize("mode", ["single-shot", "staged-blocks"])
def test_overwrite_false_on_existing_blob_is_rejected(emulator, mode):
    kwargs = {} if mode == "single-shot" else {"max_single_put_size": 128, "max_block_size": 256}
    blob = new_container(emulator, **kwargs).get_blob_client("exists.bin")
    blob.upload_blob(random_bytes(1000, 1))
    with pytest.raises(ResourceExistsError):
        blob.upload_blob(random_bytes(1000, 2), overwrite=False)
    assert blob.download_blob().readall() == random_bytes(1000, 1), "the original must survive"
    blob.upload_blob(random_bytes(1000, 3), overwrite=True)
    assert blob.download_blob().readall() == random_bytes(1000, 3)


def test_delete_blob(emulator):
    container = new_container(emulator)
    blob = container.get_blob_client("gone.bin")
    blob.upload_blob(b"x")
    blob.delete_blob()
    with pytest.raises(ResourceNotFoundError) as missing:
        blob.get_blob_properties()
    assert missing.value.error_code == "BlobNotFound"
    with pytest.raises(ResourceNotFoundError):
        blob.download_blob()
    with pytest.raises(ResourceNotFoundError):
        blob.delete_blob()
    assert [b.name for b in container.list_blobs()] == []


def test_put_blob_replaces_content_and_metadata(emulator):
    blob = new_container(emulator).get_blob_client("replace.bin")
    blob.upload_blob(b"first", metadata={"a": "1"})
    blob.upload_blob(b"second!", overwrite=True)
    props = blob.get_blob_properties()
    assert props.size == 7 and props.metadata == {}
    assert blob.download_blob().readall() == b"second!"


def test_upload_from_a_seekable_file_with_big_blocks(emulator, tmp_path):
    """With max_block_size above 4 MiB the SDK reads a seekable stream in substreams and uses
    short random block IDs (PROTOCOLS A5) — another code path than bytes in memory."""
    path = tmp_path / "source.bin"
    data = random_bytes(21 * MiB + 5, seed=77)
    path.write_bytes(data)
    container = new_container(emulator, max_single_put_size=4 * MiB, max_block_size=8 * MiB)
    blob = container.get_blob_client("from-file.bin")
    with open(path, "rb") as stream:
        blob.upload_blob(stream, max_concurrency=4)
    committed, _ = blob.get_block_list("committed")
    assert [b.size for b in committed] == [8 * MiB, 8 * MiB, 5 * MiB + 5]
    assert blob.download_blob(max_concurrency=4).readall() == data


def test_metadata_over_8_kib_is_400(emulator):
    blob = new_container(emulator).get_blob_client("fat-meta.bin")
    with pytest.raises(HttpResponseError) as too_big:
        blob.upload_blob(b"x", metadata={f"k{i}": "v" * 1000 for i in range(9)})
    assert (too_big.value.status_code, too_big.value.error_code) == (400, "MetadataTooLarge")
