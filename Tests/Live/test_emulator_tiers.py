"""Access tiers and `x-ms-delete-snapshots`, checked with Microsoft's SDK: `x-ms-access-tier` on
Put Blob, Put Block List and Copy Blob; Set Blob Tier; the tier in Get Blob Properties and in
listings (`AccessTierInferred` only while never set); kept in the blob's record across a restart;
an archived blob cannot be read (409 BlobArchived) until it is brought back online; invalid tiers
are 400; `x-ms-delete-snapshots: only` keeps the base blob, `include` deletes it."""
from __future__ import annotations

import http.client

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.storage.blob import StandardBlobTier

from ferry_live.blobs import account_sas, new_container, quote_blob, service_client

MiB = 1 << 20


def raw(emulator, method: str, path_and_query: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    sas = account_sas(emulator)
    joiner = "&" if "?" in path_and_query else "?"
    conn = http.client.HTTPConnection(emulator.host, emulator.port, timeout=30)
    try:
        conn.request(method, f"/{emulator.account}/{path_and_query.lstrip('/')}{joiner}{sas}",
                     headers={"x-ms-version": "2021-08-06", **(headers or {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def tiers(container) -> dict[str, tuple[str, bool]]:
    return {b.name: (b.blob_tier, bool(b.blob_tier_inferred)) for b in container.list_blobs()}


def test_tiers_on_upload_copy_and_set_blob_tier(emulator):
    container = new_container(emulator, max_single_put_size=1 * MiB, max_block_size=1 * MiB)
    container.upload_blob("default.bin", b"d")
    container.upload_blob("cool.bin", b"c", standard_blob_tier=StandardBlobTier.COOL)
    container.upload_blob("blocks.bin", b"B" * (3 * MiB), standard_blob_tier=StandardBlobTier.COLD)  # Put Block List
    copy = container.get_blob_client("copy.bin")
    copy.start_copy_from_url(container.get_blob_client("default.bin").url, standard_blob_tier=StandardBlobTier.COOL)

    properties = container.get_blob_client("default.bin").get_blob_properties()
    assert (properties.blob_tier, properties.blob_tier_inferred) == ("Hot", True)
    properties = container.get_blob_client("cool.bin").get_blob_properties()
    assert (properties.blob_tier, bool(properties.blob_tier_inferred)) == ("Cool", False)
    assert properties.blob_tier_change_time is not None
    expected = {"default.bin": ("Hot", True), "cool.bin": ("Cool", False), "blocks.bin": ("Cold", False),
                "copy.bin": ("Cool", False)}
    assert tiers(container) == expected

    container.get_blob_client("default.bin").set_standard_blob_tier(StandardBlobTier.COOL)
    expected["default.bin"] = ("Cool", False)
    assert tiers(container) == expected
    assert container.download_blob("default.bin").readall() == b"d"

    emulator.restart(hard=True)
    container = service_client(emulator).get_container_client(container.container_name)
    assert tiers(container) == expected, "tiers must be kept in the blob records"


def test_an_archived_blob_cannot_be_read_until_rehydrated(emulator):
    container = new_container(emulator)
    blob = container.get_blob_client("cold-storage.bin")
    blob.upload_blob(b"archived bytes")
    blob.set_standard_blob_tier(StandardBlobTier.ARCHIVE)
    assert blob.get_blob_properties().blob_tier == "Archive"  # properties stay readable
    with pytest.raises(HttpResponseError) as refused:
        blob.download_blob().readall()
    assert (refused.value.status_code, refused.value.error_code) == (409, "BlobArchived")
    with pytest.raises(HttpResponseError) as refused:
        blob.set_blob_metadata({"k": "v"})
    assert refused.value.status_code == 409

    status, _, _ = raw(emulator, "PUT", f"{container.container_name}/{quote_blob(blob.blob_name)}?comp=tier",
                       {"x-ms-access-tier": "Hot"})
    assert status == 202, "leaving the archive tier is a rehydration (202)"
    assert blob.download_blob().readall() == b"archived bytes"
    status, _, _ = raw(emulator, "PUT", f"{container.container_name}/{quote_blob(blob.blob_name)}?comp=tier",
                       {"x-ms-access-tier": "Cool"})
    assert status == 200


@pytest.mark.parametrize("tier", ["Lukewarm", "P10", ""])
def test_invalid_tiers_are_400(emulator, tier):
    container = new_container(emulator)
    container.upload_blob("x.bin", b"x")
    path = f"{container.container_name}/x.bin"
    status, headers, _ = raw(emulator, "PUT", f"{path}?comp=tier", {"x-ms-access-tier": tier})
    expected = "MissingRequiredHeader" if tier == "" else "InvalidHeaderValue"
    assert (status, headers.get("x-ms-error-code")) == (400, expected)
    if tier:
        status, headers, _ = raw(emulator, "PUT", f"{container.container_name}/y.bin",
                                 {"x-ms-blob-type": "BlockBlob", "x-ms-access-tier": tier, "Content-Length": "0"})
        assert (status, headers.get("x-ms-error-code")) == (400, "InvalidHeaderValue")
    assert [b.name for b in container.list_blobs()] == ["x.bin"]
    assert container.get_blob_client("x.bin").get_blob_properties().blob_tier == "Hot"


def test_set_blob_tier_on_a_missing_blob_is_404(emulator):
    container = new_container(emulator)
    with pytest.raises(ResourceNotFoundError):
        container.get_blob_client("nothing.bin").set_standard_blob_tier(StandardBlobTier.COOL)


def test_delete_snapshots_only_keeps_the_base_blob(emulator):
    container = new_container(emulator)
    container.upload_blob("keep.bin", b"keep")
    container.upload_blob("gone.bin", b"gone")
    container.delete_blob("keep.bin", delete_snapshots="only")
    assert container.download_blob("keep.bin").readall() == b"keep", "'only' must not delete the base blob"
    container.delete_blob("gone.bin", delete_snapshots="include")
    assert [b.name for b in container.list_blobs()] == ["keep.bin"]
    with pytest.raises(ResourceNotFoundError):
        container.delete_blob("gone.bin", delete_snapshots="only")
    status, headers, _ = raw(emulator, "DELETE", f"{container.container_name}/keep.bin", {"x-ms-delete-snapshots": "some"})
    assert (status, headers.get("x-ms-error-code")) == (400, "InvalidHeaderValue")
    assert [b.name for b in container.list_blobs()] == ["keep.bin"]


# --- Ferry's --block-blob-tier (as AzCopy has it) -----------------------------------------------------
@pytest.mark.parametrize("command", ["copy", "sync"])
def test_ferry_block_blob_tier_sets_the_tier_of_every_blob_written(emulator, tmp_path, command):
    from ferry_live.ferry_cli import ferry_for
    source = tmp_path / "src"
    (source / "sub").mkdir(parents=True)
    (source / "small.bin").write_bytes(b"s" * 100)
    (source / "sub" / "big.bin").write_bytes(b"B" * (3 * MiB + 5))  # Put Block + Put Block List
    container = new_container(emulator)
    url = f"{emulator.url}/{container.container_name}"
    ferry = ferry_for(tmp_path, emulator)
    args = ["copy", f"{source}/*", url, "--recursive"] if command == "copy" else ["sync", str(source), url]
    ferry.run(*args, "--block-blob-tier", "cool", "--block-size-mb", "1")
    assert tiers(container) == {"small.bin": ("Cool", False), "sub/big.bin": ("Cool", False)}
    assert container.download_blob("sub/big.bin").readall() == b"B" * (3 * MiB + 5)


def test_ferry_block_blob_tier_is_refused_for_other_destinations(emulator, tmp_path):
    from ferry_live.ferry_cli import ferry_for
    (tmp_path / "a.bin").write_bytes(b"a")
    ferry = ferry_for(tmp_path, emulator)
    run = ferry.run("copy", str(tmp_path / "a.bin"), str(tmp_path / "out.bin"), "--block-blob-tier", "hot", expect=64)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --block-blob-tier applies to Azure Blob destinations only"), run.stderr
    assert not (tmp_path / "out.bin").exists()
    bad = ferry.run("copy", str(tmp_path / "a.bin"), f"{emulator.url}/x/a.bin", "--block-blob-tier", "tepid", expect=64)
    assert "tepid" in bad.stderr
