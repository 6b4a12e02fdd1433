"""Fidelity: Shared Key and SAS (tokens signed by the SDK's own code) — what is allowed, what is
403, and that the positive case works first so a 403 means what it says."""
from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

import pytest
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError
from azure.storage.blob import (
    AccountSasPermissions,
    BlobClient,
    BlobSasPermissions,
    BlobServiceClient,
    ResourceTypes,
    generate_account_sas,
    generate_blob_sas,
)

from ferry_live.blobs import (
    account_sas,
    container_sas,
    new_container,
    no_retry,
    sas_container_client,
    service_client,
)

WRONG_KEY = base64.b64encode(b"definitely not the dev account key!!").decode()


@pytest.fixture
def seeded(emulator):
    """A container holding one blob, `existing.bin`."""
    container = new_container(emulator)
    container.upload_blob("existing.bin", b"existing")
    return container.container_name


def status_and_code(error: HttpResponseError) -> tuple[int, str | None]:
    return error.status_code, error.error_code


def test_account_sas_with_write_can_upload_and_read(emulator, seeded):
    client = sas_container_client(emulator, seeded, account_sas(emulator, permission="rwl", resource_types="co"))
    client.upload_blob("new.bin", b"new")
    assert client.download_blob("new.bin").readall() == b"new"
    assert {b.name for b in client.list_blobs()} == {"existing.bin", "new.bin"}


def test_account_sas_without_write_cannot_upload(emulator, seeded):
    client = sas_container_client(emulator, seeded, account_sas(emulator, permission="rl", resource_types="co"))
    assert client.download_blob("existing.bin").readall() == b"existing"  # the token itself is valid
    with pytest.raises(HttpResponseError) as denied:
        client.upload_blob("new.bin", b"new")
    assert denied.value.status_code == 403
    with pytest.raises(HttpResponseError) as denied_block:
        client.get_blob_client("staged.bin").stage_block("b", b"data")
    assert denied_block.value.status_code == 403


def test_container_sas_without_write_cannot_upload(emulator, seeded):
    writer = sas_container_client(emulator, seeded, container_sas(emulator, seeded, permission="racwdl"))
    writer.upload_blob("by-writer.bin", b"ok")
    reader = sas_container_client(emulator, seeded, container_sas(emulator, seeded, permission="rl"))
    assert reader.download_blob("by-writer.bin").readall() == b"ok"
    with pytest.raises(HttpResponseError) as denied:
        reader.upload_blob("by-reader.bin", b"no")
    assert denied.value.status_code == 403


def test_container_sas_does_not_open_another_container(emulator, seeded):
    other = new_container(emulator).container_name
    client = sas_container_client(emulator, other, container_sas(emulator, seeded, permission="rl"))
    with pytest.raises(HttpResponseError) as denied:
        list(client.list_blobs())
    assert denied.value.status_code == 403


def test_expired_sas_is_403(emulator, seeded):
    now = datetime.now(timezone.utc)
    expired = account_sas(emulator, permission="rwl", resource_types="co",
                          start=now - timedelta(hours=2), expiry=now - timedelta(minutes=10))
    client = sas_container_client(emulator, seeded, expired)
    with pytest.raises(HttpResponseError) as denied:
        client.download_blob("existing.bin").readall()
    assert status_and_code(denied.value) == (403, "AuthenticationFailed")


def test_sas_not_yet_valid_is_403(emulator, seeded):
    now = datetime.now(timezone.utc)
    future = account_sas(emulator, permission="rl", resource_types="co",
                         start=now + timedelta(hours=1), expiry=now + timedelta(hours=2))
    with pytest.raises(HttpResponseError) as denied:
        sas_container_client(emulator, seeded, future).download_blob("existing.bin").readall()
    assert denied.value.status_code == 403


def test_sas_signed_with_wrong_key_is_403(emulator, seeded):
    forged = account_sas(emulator, permission="rwl", resource_types="co", account_key=WRONG_KEY)
    with pytest.raises(HttpResponseError) as denied:
        sas_container_client(emulator, seeded, forged).download_blob("existing.bin").readall()
    assert status_and_code(denied.value) == (403, "AuthenticationFailed")


def test_wrong_account_key_is_403(emulator, seeded):
    client = BlobServiceClient(emulator.url, credential={"account_name": emulator.account, "account_key": WRONG_KEY},
                               retry_policy=no_retry())
    with pytest.raises(ClientAuthenticationError) as denied:
        client.get_blob_client(seeded, "existing.bin").download_blob().readall()
    assert status_and_code(denied.value) == (403, "AuthenticationFailed")
    with pytest.raises(ClientAuthenticationError):
        client.create_container("made-with-wrong-key")


def test_right_account_key_with_explicit_credential(emulator, seeded):
    client = BlobServiceClient(emulator.url, credential={"account_name": emulator.account, "account_key": emulator.key},
                               retry_policy=no_retry())
    assert client.get_blob_client(seeded, "existing.bin").download_blob().readall() == b"existing"


def test_anonymous_request_is_refused(emulator, seeded):
    client = BlobServiceClient(emulator.url, retry_policy=no_retry())
    with pytest.raises(HttpResponseError) as denied:
        client.get_blob_client(seeded, "existing.bin").download_blob().readall()
    assert denied.value.status_code in (401, 403, 404)


def test_blob_sas_grants_only_its_blob(emulator, seeded):
    service_client(emulator).get_blob_client(seeded, "other.bin").upload_blob(b"other")
    now = datetime.now(timezone.utc)
    sas = generate_blob_sas(emulator.account, seeded, "existing.bin", account_key=emulator.key,
                            permission=BlobSasPermissions(read=True), start=now - timedelta(minutes=5),
                            expiry=now + timedelta(hours=1))
    mine = BlobClient.from_blob_url(f"{emulator.url}/{seeded}/existing.bin", credential=sas, retry_policy=no_retry())
    assert mine.download_blob().readall() == b"existing"
    other = BlobClient.from_blob_url(f"{emulator.url}/{seeded}/other.bin", credential=sas, retry_policy=no_retry())
    with pytest.raises(HttpResponseError) as denied:
        other.download_blob().readall()
    assert denied.value.status_code == 403


def test_https_only_sas_over_http_is_403(emulator, seeded):
    now = datetime.now(timezone.utc)
    https_only = generate_account_sas(emulator.account, emulator.key, resource_types=ResourceTypes.from_string("co"),
                                      permission=AccountSasPermissions.from_string("rl"),
                                      start=now - timedelta(minutes=5), expiry=now + timedelta(hours=1),
                                      protocol="https")
    with pytest.raises(HttpResponseError) as denied:
        sas_container_client(emulator, seeded, https_only).download_blob("existing.bin").readall()
    assert status_and_code(denied.value) == (403, "AuthorizationProtocolMismatch")


def test_account_sas_without_container_resource_type_cannot_list(emulator, seeded):
    objects_only = account_sas(emulator, permission="rl", resource_types="o")
    client = sas_container_client(emulator, seeded, objects_only)
    assert client.download_blob("existing.bin").readall() == b"existing"
    with pytest.raises(HttpResponseError) as denied:
        list(client.list_blobs())
    assert status_and_code(denied.value) == (403, "AuthorizationResourceTypeMismatch")


def test_sas_without_delete_cannot_delete(emulator, seeded):
    client = sas_container_client(emulator, seeded, account_sas(emulator, permission="rwl", resource_types="co"))
    with pytest.raises(HttpResponseError) as denied:
        client.delete_blob("existing.bin")
    assert status_and_code(denied.value) == (403, "AuthorizationPermissionMismatch")
    assert client.download_blob("existing.bin").readall() == b"existing"


def test_metadata_names_that_sort_differently_still_sign(emulator, seeded):
    """Python 12.31 orders x-ms-meta-a_b / x-ms-meta-a1 with a service-like collation (A3)."""
    blob = service_client(emulator).get_blob_client(seeded, "collation.bin")
    metadata = {"a_b": "1", "a1": "2", "a": "3", "A_1": "4"}
    blob.upload_blob(b"x", metadata=metadata)
    assert blob.get_blob_properties().metadata == metadata


@pytest.mark.parametrize("access", ["container", "blob"])
def test_public_container_allows_anonymous_reads(emulator, access):
    service = service_client(emulator)
    container = service.create_container(f"public-{access}", public_access=access)
    container.upload_blob("open.bin", b"open")
    anonymous = BlobServiceClient(emulator.url, retry_policy=no_retry()).get_container_client(container.container_name)
    assert anonymous.download_blob("open.bin").readall() == b"open"
    if access == "container":
        assert [b.name for b in anonymous.list_blobs()] == ["open.bin"]
    else:
        with pytest.raises(HttpResponseError):
            list(anonymous.list_blobs())
    with pytest.raises(HttpResponseError):
        anonymous.upload_blob("written-anonymously.bin", b"no")
