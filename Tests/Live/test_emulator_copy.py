"""Fidelity: server-side copies within the emulator — the Python SDK's Copy Blob, Put Blob From
URL and Put Block From URL, and AzCopy 10.18's blob-to-blob (S2S) copy that uses them."""
from __future__ import annotations

import hashlib

import pytest
from azure.core.exceptions import HttpResponseError
from azure.storage.blob import BlobBlock

from ferry_live.blobs import account_sas, container_url, new_container, service_client
from ferry_live.files import random_bytes

MiB = 1 << 20


def source_url(emulator, container: str, blob: str) -> str:
    return f"{emulator.url}/{container}/{blob}?{account_sas(emulator, permission='r', resource_types='o')}"


def test_sdk_copy_blob(emulator):
    source = new_container(emulator)
    data = random_bytes(3 * MiB + 1, 1)
    source.upload_blob("src.bin", data, metadata={"origin": "src"})
    target = new_container(emulator).get_blob_client("copied.bin")
    copy = target.start_copy_from_url(source_url(emulator, source.container_name, "src.bin"))
    assert copy["copy_status"] in ("success", "pending") and copy["copy_id"]
    props = target.get_blob_properties()  # clients poll HEAD for x-ms-copy-status (PROTOCOLS A4)
    assert (props.copy.id, props.copy.status) == (copy["copy_id"], "success")
    assert props.copy.source and props.copy.progress == f"{len(data)}/{len(data)}"
    assert target.download_blob().readall() == data
    assert props.metadata == {"origin": "src"}, "Copy Blob copies metadata unless new metadata is given"


def test_sdk_put_blob_from_url(emulator):
    source = new_container(emulator)
    data = random_bytes(2 * MiB, 2)
    source.upload_blob("src.bin", data)
    target = new_container(emulator).get_blob_client("from-url.bin")
    target.upload_blob_from_url(source_url(emulator, source.container_name, "src.bin"))
    assert target.download_blob().readall() == data


def test_sdk_stage_block_from_url(emulator):
    source = new_container(emulator)
    data = random_bytes(5 * MiB, 3)
    source.upload_blob("src.bin", data)
    target = new_container(emulator).get_blob_client("blocks-from-url.bin")
    url = source_url(emulator, source.container_name, "src.bin")
    target.stage_block_from_url("b1", url, source_offset=3 * MiB, source_length=2 * MiB)
    target.stage_block_from_url("b2", url, source_offset=0, source_length=3 * MiB)
    target.commit_block_list([BlobBlock("b1"), BlobBlock("b2")])
    assert target.download_blob().readall() == data[3 * MiB:] + data[:3 * MiB]


def test_copy_from_a_missing_source_fails(emulator):
    source = new_container(emulator)
    target = new_container(emulator).get_blob_client("nothing.bin")
    with pytest.raises(HttpResponseError) as failed:
        target.upload_blob_from_url(source_url(emulator, source.container_name, "missing.bin"))
    assert failed.value.status_code in (400, 404, 409)


def test_azcopy_blob_to_blob_copy(emulator, azcopy):
    source = new_container(emulator, prefix="s2s-src")
    files = {"zero.bin": b"", "small/one.bin": random_bytes(1000, 4), "small/eight.bin": random_bytes(8 * MiB, 5),
             "large/twenty ünï.bin": random_bytes(20 * MiB + 3, 6)}
    for name, data in files.items():
        source.upload_blob(name, data)
    target = new_container(emulator, prefix="s2s-dst")
    sas = account_sas(emulator, permission="rwdlac", resource_types="sco")
    azcopy.run("copy", container_url(emulator, source.container_name, sas).replace("?", "/*?", 1),
               container_url(emulator, target.container_name, sas), "--recursive", "--from-to", "BlobBlob")
    copied = service_client(emulator).get_container_client(target.container_name)
    assert sorted(b.name for b in copied.list_blobs()) == sorted(files)
    for name, data in files.items():
        got = copied.download_blob(name).readall()
        assert hashlib.sha256(got).digest() == hashlib.sha256(data).digest(), name
