"""Fidelity: containers, Put Block / Put Block List / Get Block List, conditional requests and
range errors, through Microsoft's Python SDK (plus one raw request where the SDK hides a header)."""
from __future__ import annotations

import pytest
from azure.core import MatchConditions
from azure.core.exceptions import (
    HttpResponseError,
    ResourceExistsError,
    ResourceModifiedError,
    ResourceNotFoundError,
)
from azure.storage.blob import BlobBlock, BlockState

from ferry_live.blobs import account_sas, new_container, quote_blob, raw_get, service_client, unique_name
from ferry_live.files import random_bytes


# --- containers ----------------------------------------------------------------------------------

def test_create_container_twice_is_409(emulator):
    service = service_client(emulator)
    name = unique_name()
    service.create_container(name)
    with pytest.raises(ResourceExistsError) as again:
        service.create_container(name)
    assert again.value.status_code == 409
    assert again.value.error_code == "ContainerAlreadyExists"


def test_container_properties_list_and_delete(emulator):
    service = service_client(emulator)
    name = unique_name()
    container = service.create_container(name, metadata={"team": "data"})
    assert container.get_container_properties().metadata == {"team": "data"}
    assert name in [c.name for c in service.list_containers()]
    container.delete_container()
    with pytest.raises(ResourceNotFoundError) as missing:
        container.get_container_properties()
    assert missing.value.error_code == "ContainerNotFound"
    assert name not in [c.name for c in service.list_containers()]


def test_upload_to_missing_container_is_404(emulator):
    blob = service_client(emulator).get_blob_client("no-such-container", "b")
    with pytest.raises(ResourceNotFoundError) as missing:
        blob.upload_blob(b"x")
    assert missing.value.error_code == "ContainerNotFound"


# --- blocks ----------------------------------------------------------------------------------------

def test_block_lists_committed_and_uncommitted(emulator):
    blob = new_container(emulator).get_blob_client("blocks/assembled.bin")
    parts = {"block-a": random_bytes(1000, 1), "block-b": random_bytes(2000, 2), "block-c": random_bytes(300, 3)}
    for block_id, data in parts.items():
        blob.stage_block(block_id, data)

    committed, uncommitted = blob.get_block_list("all")
    assert committed == []
    assert {(b.id, b.size) for b in uncommitted} == {(k, len(v)) for k, v in parts.items()}
    with pytest.raises(ResourceNotFoundError):
        blob.get_blob_properties()  # staged blocks alone are not a blob yet

    blob.commit_block_list([BlobBlock("block-b"), BlobBlock("block-a")])
    assert blob.download_blob().readall() == parts["block-b"] + parts["block-a"]
    committed, uncommitted = blob.get_block_list("all")
    assert [(b.id, b.size) for b in committed] == [("block-b", 2000), ("block-a", 1000)]
    assert uncommitted == [], "Put Block List drops the staged blocks it did not use"

    # Re-use a committed block next to a newly staged one.
    blob.stage_block("block-d", b"tail")
    _, uncommitted = blob.get_block_list("uncommitted")
    assert [(b.id, b.size) for b in uncommitted] == [("block-d", 4)]
    blob.commit_block_list([BlobBlock("block-a", BlockState.COMMITTED), BlobBlock("block-d", BlockState.UNCOMMITTED)])
    assert blob.download_blob().readall() == parts["block-a"] + b"tail"


def test_restaging_a_block_replaces_it(emulator):
    blob = new_container(emulator).get_blob_client("restage.bin")
    blob.stage_block("same-id", b"old data")
    blob.stage_block("same-id", b"new")
    _, uncommitted = blob.get_block_list("uncommitted")
    assert [(b.id, b.size) for b in uncommitted] == [("same-id", 3)]
    blob.commit_block_list([BlobBlock("same-id")])
    assert blob.download_blob().readall() == b"new"


def test_commit_of_unknown_block_is_400(emulator):
    blob = new_container(emulator).get_blob_client("unknown-block.bin")
    blob.stage_block("known", b"abc")
    with pytest.raises(HttpResponseError) as bad:
        blob.commit_block_list([BlobBlock("known"), BlobBlock("never-staged")])
    assert bad.value.status_code == 400
    assert bad.value.error_code == "InvalidBlockList"


def test_delete_of_uncommitted_blob_drops_its_blocks(emulator):
    blob = new_container(emulator).get_blob_client("only-staged.bin")
    blob.stage_block("one", b"abc")
    blob.delete_blob()
    with pytest.raises(ResourceNotFoundError):
        blob.get_block_list("all")
    blob.stage_block("a-longer-id", b"x")  # 400 InvalidBlobOrBlock if "one" were still staged
    _, uncommitted = blob.get_block_list("uncommitted")
    assert [b.id for b in uncommitted] == ["a-longer-id"]


# --- conditional requests --------------------------------------------------------------------------

def test_if_match_wrong_etag_is_412(emulator):
    blob = new_container(emulator).get_blob_client("cond.bin")
    etag = blob.upload_blob(b"version 1")["etag"]
    wrong = '"0x8DC0000000000AB"'
    with pytest.raises(ResourceModifiedError) as failed_read:
        blob.download_blob(etag=wrong, match_condition=MatchConditions.IfNotModified)
    assert failed_read.value.status_code == 412
    with pytest.raises(ResourceModifiedError) as failed_write:
        blob.upload_blob(b"version 2", overwrite=True, etag=wrong, match_condition=MatchConditions.IfNotModified)
    assert failed_write.value.status_code == 412
    assert blob.download_blob().readall() == b"version 1"

    # The right ETag passes, and every write issues a new one.
    new_etag = blob.upload_blob(b"version 2", overwrite=True, etag=etag,
                                match_condition=MatchConditions.IfNotModified)["etag"]
    assert new_etag != etag
    meta_etag = blob.set_blob_metadata({"k": "v"})["etag"]
    assert meta_etag != new_etag
    assert blob.get_blob_properties().etag == meta_etag


def test_if_none_match_current_etag_on_read_is_304(emulator):
    blob = new_container(emulator).get_blob_client("cond304.bin")
    etag = blob.upload_blob(b"data")["etag"]
    # Azure answers 304 with x-ms-error-code ConditionNotMet, which the SDK raises as
    # ResourceModifiedError; the status is what tells a 304 from a 412.
    with pytest.raises(HttpResponseError) as not_modified:
        blob.get_blob_properties(etag=etag, match_condition=MatchConditions.IfModified)
    assert not_modified.value.status_code == 304
    with pytest.raises(HttpResponseError) as not_modified_get:
        blob.download_blob(etag=etag, match_condition=MatchConditions.IfModified)
    assert not_modified_get.value.status_code == 304
    assert blob.get_blob_properties(etag='"0x8DC0000000000AB"', match_condition=MatchConditions.IfModified).size == 4


# --- ranges ----------------------------------------------------------------------------------------

def test_range_starting_past_the_end_is_416(emulator):
    container = new_container(emulator)
    blob = container.get_blob_client("range me.bin")
    blob.upload_blob(random_bytes(100, 9))
    with pytest.raises(HttpResponseError) as past_end:
        blob.download_blob(offset=100, length=10)
    assert past_end.value.status_code == 416
    assert past_end.value.error_code == "InvalidRange"

    sas = account_sas(emulator, permission="r", resource_types="o")
    status, headers, _ = raw_get(emulator, f"{container.container_name}/{quote_blob('range me.bin')}?{sas}",
                                 {"x-ms-range": "bytes=200-300", "x-ms-version": "2021-08-06"})
    assert status == 416
    assert headers.get("content-range") == "bytes */100"
    assert headers.get("x-ms-error-code") == "InvalidRange"


def test_ranged_get_is_206_with_content_range_even_for_whole_blob(emulator):
    container = new_container(emulator)
    container.get_blob_client("r.bin").upload_blob(b"0123456789")
    sas = account_sas(emulator, permission="r", resource_types="o")
    status, headers, body = raw_get(emulator, f"{container.container_name}/r.bin?{sas}",
                                    {"x-ms-range": "bytes=0-9", "x-ms-version": "2021-08-06"})
    assert (status, headers.get("content-range"), body) == (206, "bytes 0-9/10", b"0123456789")
    status, headers, body = raw_get(emulator, f"{container.container_name}/r.bin?{sas}",
                                    {"Range": "bytes=3-", "x-ms-version": "2021-08-06"})
    assert (status, headers.get("content-range"), body) == (206, "bytes 3-9/10", b"3456789")
    status, headers, body = raw_get(emulator, f"{container.container_name}/r.bin?{sas}",
                                    {"x-ms-version": "2021-08-06"})
    assert (status, body) == (200, b"0123456789")
    assert headers.get("x-ms-version") and headers.get("x-ms-request-id")


def test_list_containers_pages_prefix_and_metadata(emulator):
    service = service_client(emulator)
    for i in range(5):
        service.create_container(f"paged-{i}", metadata={"i": str(i)})
    service.create_container("other-one")
    pages = list(service.list_containers(name_starts_with="paged-", include_metadata=True,
                                         results_per_page=2).by_page())
    containers = [c for page in pages for c in page]
    assert len(pages) == 3
    assert [(c.name, c.metadata) for c in containers] == [(f"paged-{i}", {"i": str(i)}) for i in range(5)]


def test_set_container_metadata_and_delete_missing_container(emulator):
    service = service_client(emulator)
    container = service.create_container(unique_name(), metadata={"a": "1"})
    container.set_container_metadata({"b": "2"})
    assert container.get_container_properties().metadata == {"b": "2"}
    with pytest.raises(ResourceNotFoundError) as missing:
        service.delete_container("never-created")
    assert missing.value.error_code == "ContainerNotFound"


@pytest.mark.parametrize("name", ["q?mark#hash%25pct&amp=eq+plus", "trailing space /x ", "a" * 1024,
                                  "ünï/日本/🚀 emoji", "dots/..name./x.."])  # urllib3 collapses /./ and /../ itself
def test_awkward_blob_names_round_trip(emulator, name):
    container = new_container(emulator)
    container.upload_blob(name, name.encode())
    assert container.download_blob(name).readall() == name.encode()
    assert [b.name for b in container.list_blobs()] == [name]
