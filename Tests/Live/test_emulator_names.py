"""Fidelity: blob names are bytes. `caf\u00e9` (NFC) and `cafe\u0301` (NFD) are canonically
equivalent text but two Azure blobs; checked with Microsoft's SDK for uploads (whole and in
blocks), downloads, listings with a prefix and a delimiter, deletes, copies and a restart."""
from __future__ import annotations

import unicodedata

import pytest
from azure.storage.blob import BlobPrefix

from ferry_live.blobs import new_container, service_client

MiB = 1 << 20
NFC = "caf\u00e9.txt"
NFD = "cafe\u0301.txt"


def utf8(names) -> list[bytes]:
    return [n.encode("utf-8") for n in names]


def test_the_two_names_are_equivalent_text_but_different_bytes():
    # The premise of this file: a service or index that normalizes would make these one blob.
    assert unicodedata.normalize("NFC", NFD) == NFC
    assert NFC.encode() != NFD.encode()


@pytest.mark.parametrize("hard", [False, True], ids=["sigterm", "kill-9"])
def test_nfc_and_nfd_names_are_two_blobs(emulator, hard):
    container = new_container(emulator, max_single_put_size=1 * MiB, max_block_size=1 * MiB)
    contents = {NFC: b"composed e-acute", NFD: b"decomposed e + U+0301", "big-" + NFC: b"N" * (2 * MiB + 3),
                "big-" + NFD: b"D" * (3 * MiB + 1)}
    for name, data in contents.items():
        container.upload_blob(name, data)  # the big ones go up as Put Block + Put Block List
    expected = sorted(utf8(contents))  # UTF-8 byte order, as the service lists
    assert utf8(b.name for b in container.list_blobs()) == expected
    for name, data in contents.items():
        assert container.get_blob_client(name).download_blob().readall() == data, f"{name!a}: wrong content"
        assert container.get_blob_client(name).get_blob_properties().size == len(data)

    emulator.restart(hard=hard)
    container = service_client(emulator).get_container_client(container.container_name)
    assert utf8(b.name for b in container.list_blobs()) == expected, "a restart must reload both names"
    for name, data in contents.items():
        assert container.get_blob_client(name).download_blob().readall() == data, f"{name!a}: wrong after restart"

    container.delete_blob(NFD)
    assert utf8(b.name for b in container.list_blobs()) == sorted(utf8(["big-" + NFC, "big-" + NFD, NFC]))
    assert container.get_blob_client(NFC).download_blob().readall() == contents[NFC]


def test_prefix_and_delimiter_listings_match_bytes(emulator):
    container = new_container(emulator)
    names = [f"dir-{NFC}/a.bin", f"dir-{NFD}/b.bin", f"{NFC}/x", f"{NFD}/y", "cafe"]
    for name in names:
        container.upload_blob(name, name.encode())

    top = list(container.walk_blobs(delimiter="/"))  # the SDK yields a page's prefixes before its blobs
    assert utf8(i.name for i in top if isinstance(i, BlobPrefix)) == sorted(
        n.split("/")[0].encode() + b"/" for n in names if "/" in n)
    assert utf8(i.name for i in top if not isinstance(i, BlobPrefix)) == [b"cafe"]

    assert utf8(b.name for b in container.list_blobs(name_starts_with="cafe\u0301")) == [f"{NFD}/y".encode()]
    assert utf8(b.name for b in container.list_blobs(name_starts_with="caf\u00e9")) == [f"{NFC}/x".encode()]
    assert utf8(b.name for b in container.list_blobs(name_starts_with="cafe")) == sorted(utf8(["cafe", f"{NFD}/y"]))
    inside = list(container.walk_blobs(name_starts_with=f"dir-{NFD}/", delimiter="/"))
    assert utf8(i.name for i in inside) == [f"dir-{NFD}/b.bin".encode()]


def test_staged_blocks_and_copies_keep_names_apart(emulator):
    container = new_container(emulator)
    container.get_blob_client(NFC).stage_block("b1", b"nfc block")
    container.get_blob_client(NFD).stage_block("b1", b"nfd block!")
    assert [(b.id, b.size) for b in container.get_blob_client(NFC).get_block_list("uncommitted")[1]] == [("b1", 9)]
    assert [(b.id, b.size) for b in container.get_blob_client(NFD).get_block_list("uncommitted")[1]] == [("b1", 10)]
    container.get_blob_client(NFD).commit_block_list(["b1"])
    assert container.get_blob_client(NFD).download_blob().readall() == b"nfd block!"
    # The NFC name's staged block is untouched by the NFD commit.
    container.get_blob_client(NFC).commit_block_list(["b1"])
    assert container.get_blob_client(NFC).download_blob().readall() == b"nfc block"

    target = container.get_blob_client("copy-of-nfd")
    target.start_copy_from_url(container.get_blob_client(NFD).url)
    assert target.download_blob().readall() == b"nfd block!"
