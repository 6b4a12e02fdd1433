"""Fidelity: protocol details of PROTOCOLS.md that Microsoft's clients rely on — block ID rules,
uncommitted blobs in listings, properties, dates at 1-second granularity, response headers."""
from __future__ import annotations

import base64
import hashlib
import http.client
from datetime import timedelta

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.storage.blob import BlobBlock, BlobType, ContentSettings

from ferry_live.blobs import account_sas, new_container, quote_blob, raw_get, service_client, unique_name
from ferry_live.files import random_bytes

MiB = 1 << 20


def raw_put(emulator, path_and_query: str, body: bytes, headers: dict | None = None):
    """One SAS-authorised PUT outside the SDK (for block IDs the SDK would not send)."""
    conn = http.client.HTTPConnection(emulator.host, emulator.port, timeout=30)
    try:
        conn.request("PUT", f"/{emulator.account}/{path_and_query}", body=body,
                     headers={"x-ms-version": "2021-08-06", **(headers or {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


# --- block IDs ------------------------------------------------------------------------------------

def test_block_ids_of_different_lengths_are_400(emulator):
    blob = new_container(emulator).get_blob_client("lengths.bin")
    blob.stage_block("four", b"a")
    with pytest.raises(HttpResponseError) as rejected:
        blob.stage_block("longer-id", b"b")
    assert (rejected.value.status_code, rejected.value.error_code) == (400, "InvalidBlobOrBlock")


def test_malformed_and_oversized_block_ids_are_400(emulator):
    container = new_container(emulator).container_name
    sas = account_sas(emulator, permission="rw", resource_types="o")
    status, headers, _ = raw_put(emulator, f"{container}/b.bin?comp=block&blockid=%25%25notbase64&{sas}", b"x")
    assert status == 400 and headers.get("x-ms-error-code") in ("InvalidBlockId", "InvalidQueryParameterValue")
    too_long = quote_blob(base64.b64encode(b"x" * 65).decode()).replace("=", "%3D").replace("+", "%2B")
    status, headers, _ = raw_put(emulator, f"{container}/b.bin?comp=block&blockid={too_long}&{sas}", b"x")
    assert (status, headers.get("x-ms-error-code")) == (400, "OutOfRangeInput")


def test_block_ids_are_opaque_bytes(emulator):
    """AzCopy's IDs embed raw GUID bytes: not UTF-8, and with `+`, `/` and `=` in base64."""
    container = new_container(emulator).container_name
    sas = account_sas(emulator, permission="rw", resource_types="o")
    ids = [bytes([0xFB, 0xFF, 0x00, i]) + b"\xfe" * 32 for i in range(3)]
    for n, raw_id in enumerate(ids):
        encoded = base64.b64encode(raw_id).decode()
        assert "+" in encoded or "/" in encoded
        status, _, body = raw_put(emulator, f"{container}/opaque.bin?comp=block&blockid="
                                  f"{encoded.replace('+', '%2B').replace('/', '%2F').replace('=', '%3D')}&{sas}",
                                  f"part{n}".encode())
        assert status == 201, body
    xml = "<?xml version='1.0' encoding='utf-8'?><BlockList>" + "".join(
        f"<Latest>{base64.b64encode(i).decode()}</Latest>" for i in ids) + "</BlockList>"
    status, _, body = raw_put(emulator, f"{container}/opaque.bin?comp=blocklist&{sas}", xml.encode())
    assert status == 201, body
    blob = service_client(emulator).get_blob_client(container, "opaque.bin")
    assert blob.download_blob().readall() == b"part0part1part2"


# --- uncommitted blobs and listings ------------------------------------------------------------------

def test_uncommitted_blob_is_listed_only_when_asked(emulator):
    container = new_container(emulator)
    container.upload_blob("committed.bin", b"c")
    container.get_blob_client("staged-only.bin").stage_block("b1", b"s")
    assert [b.name for b in container.list_blobs()] == ["committed.bin"]
    listed = [b.name for b in container.list_blobs(include=["uncommittedblobs"])]
    assert listed == ["committed.bin", "staged-only.bin"]


def test_put_blob_drops_staged_blocks(emulator):
    blob = new_container(emulator).get_blob_client("replaced.bin")
    blob.stage_block("b1", b"staged")
    blob.upload_blob(b"whole", overwrite=True)
    committed, uncommitted = blob.get_block_list("all")
    assert uncommitted == [], "Put Blob must drop staged blocks"
    with pytest.raises(HttpResponseError):
        blob.commit_block_list([BlobBlock("b1")])


def test_delete_container_deletes_its_blobs(emulator):
    service = service_client(emulator)
    name = unique_name()
    container = service.create_container(name)
    container.upload_blob("a.bin", b"a")
    container.delete_container()
    container = service.create_container(name)
    assert list(container.list_blobs()) == []
    with pytest.raises(ResourceNotFoundError):
        container.get_blob_client("a.bin").get_blob_properties()


def test_listing_resumes_from_a_continuation_token(emulator):
    container = new_container(emulator)
    names = [f"n-{i:03d}" for i in range(25)]
    for name in names:
        container.upload_blob(name, b"")
    pages = container.list_blobs(results_per_page=10).by_page()
    first = [b.name for b in next(pages)]
    token = pages.continuation_token
    assert first == names[:10] and token
    resumed = container.list_blobs(results_per_page=10).by_page(continuation_token=token)
    assert [b.name for page in resumed for b in page] == names[10:]


def test_invalid_container_name_is_400(emulator):
    with pytest.raises(HttpResponseError) as bad:
        service_client(emulator).create_container("Bad--Name")
    assert (bad.value.status_code, bad.value.error_code) == (400, "InvalidResourceName")


# --- properties -------------------------------------------------------------------------------------

def test_content_settings_round_trip_and_set_properties(emulator):
    blob = new_container(emulator).get_blob_client("page.html")
    settings = ContentSettings(content_type="text/html; charset=utf-8", content_encoding="identity",
                               content_language="en-GB", content_disposition="attachment; filename=p.html",
                               cache_control="max-age=60")
    blob.upload_blob(b"<p>hi</p>", content_settings=settings)
    got = blob.get_blob_properties().content_settings
    assert (got.content_type, got.content_encoding, got.content_language, got.content_disposition,
            got.cache_control) == ("text/html; charset=utf-8", "identity", "en-GB",
                                   "attachment; filename=p.html", "max-age=60")

    blob.set_http_headers(ContentSettings(content_type="text/plain"))
    got = blob.get_blob_properties().content_settings
    assert got.content_type == "text/plain"
    assert (got.content_encoding, got.content_language, got.cache_control) == (None, None, None), \
        "Set Blob Properties clears the fields it was not sent"
    assert blob.download_blob().readall() == b"<p>hi</p>"


def test_default_content_type_is_octet_stream(emulator):
    blob = new_container(emulator).get_blob_client("plain")
    blob.upload_blob(b"x")
    assert blob.get_blob_properties().content_settings.content_type == "application/octet-stream"


def test_put_block_list_stores_given_md5_verbatim(emulator):
    blob = new_container(emulator).get_blob_client("pbl-md5.bin")
    blob.stage_block("b1", b"abc")
    declared = bytearray(b"0123456789abcdef")  # deliberately not the MD5 of the content: not checked
    blob.commit_block_list([BlobBlock("b1")], content_settings=ContentSettings(content_md5=declared))
    assert blob.get_blob_properties().content_settings.content_md5 == declared
    plain = new_container(emulator).get_blob_client("pbl-no-md5.bin")
    plain.stage_block("b1", b"abc")
    plain.commit_block_list([BlobBlock("b1")])
    assert plain.get_blob_properties().content_settings.content_md5 is None


def test_ranged_md5_over_4_mib_is_400(emulator):
    container = new_container(emulator)
    container.upload_blob("big.bin", random_bytes(5 * MiB, 1))
    sas = account_sas(emulator, permission="r", resource_types="o")
    status, headers, _ = raw_get(emulator, f"{container.container_name}/big.bin?{sas}",
                                 {"x-ms-range": f"bytes=0-{5 * MiB - 1}", "x-ms-range-get-content-md5": "true",
                                  "x-ms-version": "2021-08-06"})
    assert status == 400
    status, headers, body = raw_get(emulator, f"{container.container_name}/big.bin?{sas}",
                                    {"x-ms-range": "bytes=0-1023", "x-ms-range-get-content-md5": "true",
                                     "x-ms-version": "2021-08-06"})
    assert status == 206 and headers.get("content-md5") == base64.b64encode(hashlib.md5(body).digest()).decode()
    assert headers.get("x-ms-blob-content-md5"), "a ranged GET carries the whole blob's MD5"


def test_account_information(emulator):
    info = service_client(emulator).get_account_information()
    assert info["sku_name"] and info["account_kind"]


# --- dates and conditions at 1-second granularity ------------------------------------------------------

def test_conditions_on_last_modified_use_whole_seconds(emulator):
    blob = new_container(emulator).get_blob_client("dated.bin")
    blob.upload_blob(b"data")
    modified = blob.get_blob_properties().last_modified
    # What AzCopy does on every download chunk: If-Unmodified-Since = the listed Last-Modified.
    assert blob.download_blob(if_unmodified_since=modified).readall() == b"data"
    with pytest.raises(HttpResponseError) as not_modified:
        blob.download_blob(if_modified_since=modified)
    assert not_modified.value.status_code == 304
    assert blob.download_blob(if_modified_since=modified - timedelta(seconds=1)).readall() == b"data"
    with pytest.raises(HttpResponseError) as failed:
        blob.upload_blob(b"new", overwrite=True, if_unmodified_since=modified - timedelta(seconds=1))
    assert failed.value.status_code == 412


# --- response headers ------------------------------------------------------------------------------

def test_every_response_carries_request_id_version_and_echoes_client_id(emulator):
    container = new_container(emulator)
    seen = []

    def record(response):
        seen.append({k.lower(): v for k, v in response.http_response.headers.items()})

    container.upload_blob("h.bin", b"h", raw_response_hook=record, client_request_id="trace-me-1")
    with pytest.raises(ResourceNotFoundError):
        container.get_blob_client("missing.bin").get_blob_properties(raw_response_hook=record,
                                                                     client_request_id="trace-me-2")
    assert len(seen) == 2
    for headers, client_id in zip(seen, ["trace-me-1", "trace-me-2"]):
        assert headers.get("x-ms-request-id")
        assert headers.get("x-ms-version")
        assert headers.get("date")
        assert headers.get("x-ms-client-request-id") == client_id
    assert seen[1].get("x-ms-error-code") == "BlobNotFound", "a HEAD error has its code in a header"


def test_properties_agree_between_head_get_and_list(emulator):
    container = new_container(emulator)
    blob = container.get_blob_client("props/p.bin")
    data = random_bytes(3000, 30)
    blob.upload_blob(data, metadata={"m": "1"})
    head = blob.get_blob_properties()
    got = blob.download_blob().properties
    listed = next(iter(container.list_blobs(include=["metadata"])))
    assert head.blob_type == BlobType.BLOCKBLOB == listed.blob_type
    assert head.etag.startswith('"') and head.etag.endswith('"'), "ETag headers are quoted"
    assert head.etag == got.etag
    assert listed.etag == head.etag.strip('"'), "the list XML carries the same ETag, unquoted"
    assert head.last_modified == got.last_modified == listed.last_modified
    assert head.creation_time is not None and head.creation_time == listed.creation_time
    assert head.size == got.size == listed.size == 3000
    assert head.content_settings.content_md5 == listed.content_settings.content_md5 == bytearray(
        hashlib.md5(data).digest())
    assert head.metadata == listed.metadata == {"m": "1"}
    assert head.lease.status == "unlocked" and head.lease.state == "available"
