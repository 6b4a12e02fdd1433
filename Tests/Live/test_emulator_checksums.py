"""Fidelity: Content-MD5 / CRC-64 checks with the Python SDK (`validate_content=True`), including
requests whose checksum header was tampered with after the SDK computed it."""
from __future__ import annotations

import base64

import pytest
from azure.core.exceptions import HttpResponseError
from azure.storage.blob import ContentSettings

from ferry_live.blobs import md5_b64, new_container
from ferry_live.files import random_bytes

MiB = 1 << 20
WRONG_MD5 = md5_b64(b"not the body")


def replace_header(name: str, value: str):
    """A raw_request_hook: it runs after the SDK set its checksum and before it signs."""
    def hook(request):
        request.http_request.headers[name] = value
    return hook


@pytest.mark.parametrize("size", [1000, 9 * MiB], ids=["1000B", "9MiB"])
@pytest.mark.parametrize("mode", ["single-shot", "staged-blocks"])
def test_validate_content_upload_and_download(emulator, size, mode):
    kwargs = {"max_single_put_size": 128 * MiB} if mode == "single-shot" else \
             {"max_single_put_size": 128, "max_block_size": 256 if size < MiB else MiB}
    blob = new_container(emulator, **kwargs).get_blob_client("validated.bin")
    data = random_bytes(size, seed=size)
    blob.upload_blob(data, validate_content=True, max_concurrency=4)
    assert blob.download_blob(validate_content=True).readall() == data


def test_put_blob_stores_and_returns_content_md5(emulator):
    blob = new_container(emulator).get_blob_client("md5.bin")
    data = random_bytes(5000, 11)
    result = blob.upload_blob(data)
    assert base64.b64encode(result["content_md5"]).decode() == md5_b64(data)
    stored = blob.get_blob_properties().content_settings.content_md5
    assert base64.b64encode(stored).decode() == md5_b64(data)


def test_tampered_content_md5_on_put_blob_is_400_md5mismatch(emulator):
    blob = new_container(emulator).get_blob_client("tampered-put-blob.bin")
    with pytest.raises(HttpResponseError) as rejected:
        blob.upload_blob(b"hello world", validate_content=True,
                         raw_request_hook=replace_header("Content-MD5", WRONG_MD5))
    assert rejected.value.status_code == 400
    assert rejected.value.error_code == "Md5Mismatch"
    assert not blob.exists(), "a rejected Put Blob must store nothing"


def test_tampered_content_md5_on_put_block_is_400_md5mismatch(emulator):
    blob = new_container(emulator).get_blob_client("tampered-put-block.bin")
    with pytest.raises(HttpResponseError) as rejected:
        blob.stage_block("b1", b"hello world", validate_content=True,
                         raw_request_hook=replace_header("Content-MD5", WRONG_MD5))
    assert rejected.value.status_code == 400
    assert rejected.value.error_code == "Md5Mismatch"
    blob.stage_block("b2", b"fine", validate_content=True)
    _, uncommitted = blob.get_block_list("uncommitted")
    assert [b.id for b in uncommitted] == ["b2"], "the rejected block must not be staged"


def test_crc64_on_put_block(emulator):
    blob = new_container(emulator).get_blob_client("crc.bin")
    good = blob.stage_block("good", b"hello world",
                            raw_request_hook=replace_header("x-ms-content-crc64", "vo7q9sPVKY0="))
    assert base64.b64encode(good["content_crc64"]).decode() == "vo7q9sPVKY0="
    with pytest.raises(HttpResponseError) as rejected:
        blob.stage_block("bad", b"hello world",
                         raw_request_hook=replace_header("x-ms-content-crc64", "AAAAAAAAAAA="))
    assert (rejected.value.status_code, rejected.value.error_code) == (400, "Crc64Mismatch")


def test_put_block_with_both_md5_and_crc64_is_400(emulator):
    blob = new_container(emulator).get_blob_client("both.bin")
    with pytest.raises(HttpResponseError) as rejected:
        blob.stage_block("b", b"hello world", validate_content=True,
                         raw_request_hook=replace_header("x-ms-content-crc64", "vo7q9sPVKY0="))
    assert (rejected.value.status_code, rejected.value.error_code) == (400, "BothCrc64AndMd5HeaderPresent")


def test_put_blob_checks_x_ms_blob_content_md5(emulator):
    """On Put Blob the declared whole-blob MD5 is checked and wins over Content-MD5 (A9)."""
    blob = new_container(emulator).get_blob_client("declared.bin")
    data = b"declared content"
    wrong = bytearray(base64.b64decode(WRONG_MD5))
    with pytest.raises(HttpResponseError) as rejected:
        blob.upload_blob(data, content_settings=ContentSettings(content_md5=wrong))
    assert (rejected.value.status_code, rejected.value.error_code) == (400, "Md5Mismatch")
    right = bytearray(base64.b64decode(md5_b64(data)))
    blob.upload_blob(data, content_settings=ContentSettings(content_md5=right))
    assert blob.get_blob_properties().content_settings.content_md5 == right
