"""Fidelity with Microsoft's SDK for the names the service refuses and the names XML cannot carry:
control characters are refused (400 InvalidUri) on every write path, so every listing stays valid
XML; U+FFFE/U+FFFF names are listed as `<Name Encoded="true">` (x-ms-version 2021-02-12+) in
`<Blob>` and `<BlobPrefix>`, across pages, and the SDK lists and downloads them; the 1,024-character
limit counts characters (UTF-16 code units), not bytes; a `/` before a combining mark is a delimiter."""
from __future__ import annotations

import http.client
import xml.etree.ElementTree as ET

import pytest
from azure.core.exceptions import HttpResponseError
from azure.storage.blob import BlobBlock, BlobPrefix

from ferry_live.blobs import account_sas, new_container, quote_blob, raw_get, service_client

CONTROL_NAMES = ["bad\x01name", "tab\tname", "line\nfeed", "del\x7fname", "c1\u0085name", "dir/\x1f/x"]
FFFF = "odd\uffffname.bin"
FFFE_DIR = "dir\ufffe/inner.bin"


def raw(emulator, method: str, path_and_query: str, headers: dict | None = None, body: bytes = b"",
        version: str = "2021-08-06") -> tuple[int, dict, bytes]:
    """One request signed with an account SAS (the SDK hides some answers and some headers)."""
    sas = account_sas(emulator)
    joiner = "&" if "?" in path_and_query else "?"
    conn = http.client.HTTPConnection(emulator.host, emulator.port, timeout=30)
    try:
        conn.request(method, f"/{emulator.account}/{path_and_query.lstrip('/')}{joiner}{sas}", body=body,
                     headers={"x-ms-version": version, **(headers or {})})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def listing_xml(emulator, container: str, query: str = "", version: str = "2021-08-06") -> ET.Element:
    status, _, body = raw(emulator, "GET", f"{container}?restype=container&comp=list{query}", version=version)
    assert status == 200, body
    return ET.fromstring(body)  # raises on a listing that is not well-formed XML


@pytest.mark.parametrize("name", CONTROL_NAMES, ids=repr)
def test_control_character_names_are_refused_on_every_write_path(emulator, name):
    container = new_container(emulator)
    container.upload_blob("good.bin", b"good")
    attempts = {
        "Put Blob": lambda: container.upload_blob(name, b"x"),
        "Put Block": lambda: container.get_blob_client(name).stage_block("b1", b"x"),
        "Put Block List": lambda: container.get_blob_client(name).commit_block_list([BlobBlock("b1")]),
        "Copy Blob": lambda: container.get_blob_client(name).start_copy_from_url(
            container.get_blob_client("good.bin").url),
    }
    for what, attempt in attempts.items():
        with pytest.raises(HttpResponseError) as refused:
            attempt()
        assert (refused.value.status_code, refused.value.error_code) == (400, "InvalidUri"), what
    assert [b.name for b in container.list_blobs()] == ["good.bin"]
    names = [e.text for e in listing_xml(emulator, container.container_name).iter("Name")]
    assert names == ["good.bin"]


def test_uffff_and_ufffe_names_are_listed_encoded_and_the_sdk_reads_them(emulator):
    container = new_container(emulator)
    contents = {FFFF: b"noncharacter U+FFFF", FFFE_DIR: b"noncharacter U+FFFE in a folder", "plain.bin": b"plain"}
    for name, data in contents.items():
        container.upload_blob(name, data)

    assert sorted(b.name for b in container.list_blobs()) == sorted(contents)
    for name, data in contents.items():
        assert container.download_blob(name).readall() == data, f"{name!a}"
    top = list(container.walk_blobs(delimiter="/"))
    assert sorted(i.name for i in top if isinstance(i, BlobPrefix)) == ["dir\ufffe/"]
    assert sorted(i.name for i in top if not isinstance(i, BlobPrefix)) == sorted([FFFF, "plain.bin"])

    flat = listing_xml(emulator, container.container_name)
    encoded = {e.text for e in flat.iter("Name") if e.get("Encoded") == "true"}
    assert encoded == {"odd%EF%BF%BFname.bin", "dir%EF%BF%BE/inner.bin"}
    folders = listing_xml(emulator, container.container_name, "&delimiter=/")
    prefix = folders.find("Blobs/BlobPrefix/Name")
    assert (prefix.get("Encoded"), prefix.text) == ("true", "dir%EF%BF%BE/")


def test_pages_that_start_at_an_encoded_name_continue(emulator):
    container = new_container(emulator)
    names = sorted([f"a{i}\uffff" for i in range(5)] + ["b", "\uffff"])
    for name in names:
        container.upload_blob(name, name.encode())
    pages = container.list_blobs(results_per_page=2).by_page()
    seen = [b.name for page in pages for b in page]
    assert [n.encode() for n in seen] == sorted(n.encode() for n in names)
    for name in names:
        assert container.download_blob(name).readall() == name.encode()


def test_versions_before_2021_02_12_get_names_as_text(emulator):
    container = new_container(emulator)
    container.upload_blob("plain & simple.bin", b"x")
    old = listing_xml(emulator, container.container_name, version="2020-10-02")
    assert [(e.text, e.get("Encoded")) for e in old.iter("Name")] == [("plain & simple.bin", None)]


def test_the_name_limit_counts_characters_not_bytes(emulator):
    container = new_container(emulator)
    cjk_408 = "\u6f22" * 408                 # 1,224 UTF-8 bytes
    cjk_1024 = "\u5b57" * 1024               # 3,072 UTF-8 bytes
    emoji_512 = "\U0001F600" * 512           # 1,024 UTF-16 code units, 2,048 bytes
    for name in [cjk_408, cjk_1024, emoji_512, "a" * 1024]:
        container.upload_blob(name, name.encode()[:64])
        assert container.download_blob(name).readall() == name.encode()[:64]
    for name in ["a" * 1025, "\u5b57" * 1025, "\U0001F600" * 512 + "a"]:
        with pytest.raises(HttpResponseError) as refused:
            container.upload_blob(name, b"x")
        assert refused.value.status_code == 400
    assert len(list(container.list_blobs())) == 4


def test_a_slash_before_a_combining_mark_is_a_delimiter(emulator):
    container = new_container(emulator)
    for name in ["a/\u0301x", "a/\u0301y", "b"]:
        container.upload_blob(name, name.encode())
    top = list(container.walk_blobs(delimiter="/"))
    assert [(type(i) is BlobPrefix, i.name) for i in top] == [(True, "a/"), (False, "b")]
    inside = [i.name for i in container.walk_blobs(name_starts_with="a/", delimiter="/")]
    assert [n.encode() for n in inside] == ["a/\u0301x".encode(), "a/\u0301y".encode()]


def test_nfc_and_nfd_names_stay_two_blobs_across_a_restart(emulator):
    container = new_container(emulator)
    nfc, nfd = "dir/caf\u00e9", "dir/cafe\u0301"
    container.upload_blob(nfc, b"composed")
    container.upload_blob(nfd, b"decomposed!")
    emulator.restart(hard=True)
    container = service_client(emulator).get_container_client(container.container_name)
    assert [b.name.encode() for b in container.list_blobs()] == sorted([nfc.encode(), nfd.encode()])
    assert container.download_blob(nfc).readall() == b"composed"
    assert container.download_blob(nfd).readall() == b"decomposed!"


def test_blob_names_in_urls_stay_raw_bytes(emulator):
    # The same U+FFFF name read without the SDK: the path carries its percent-encoded UTF-8.
    container = new_container(emulator)
    container.upload_blob(FFFF, b"raw")
    status, _, body = raw_get(emulator, f"{container.container_name}/{quote_blob(FFFF)}?{account_sas(emulator)}")
    assert (status, body) == (200, b"raw")
