"""Fidelity: List Blobs with the Python SDK over more than 5000 blobs — flat, with a delimiter
(`walk_blobs`), with prefixes, and across several pages."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from azure.storage.blob import BlobPrefix

from ferry_live.blobs import new_container

BIG_FOLDER = 5100  # more than one default page (5000) inside one folder
TREE = [f"tree/d{a}/e{b}/f-{c}.txt" for a in range(3) for b in range(4) for c in range(5)]
ODD = ["tree/ünïcode dir/file name ✓.txt", "tree/space name.bin", "top-0", "top-1", "zz+plus=equals&amp"]
ALL_NAMES = sorted([f"big/blob-{i:05d}" for i in range(BIG_FOLDER)] + TREE + ODD)


@pytest.fixture(scope="module")
def listed_container(module_emulator):
    container = new_container(module_emulator, prefix="list")

    def put(name: str) -> None:
        container.upload_blob(name, name.encode(), metadata={"n": str(len(name))})

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(put, ALL_NAMES))
    return container


def test_flat_listing_names_every_blob_in_order(listed_container):
    names = [b.name for b in listed_container.list_blobs()]
    assert names == ALL_NAMES


def test_flat_listing_pages_at_the_default_5000(listed_container):
    pages = [[b.name for b in page] for page in listed_container.list_blobs().by_page()]
    assert len(pages) >= 2, "more than 5000 blobs must come back on more than one page"
    assert max(len(p) for p in pages) <= 5000
    assert [n for page in pages for n in page] == ALL_NAMES


def test_flat_listing_with_small_pages_and_metadata(listed_container):
    pages = list(listed_container.list_blobs(include=["metadata"], results_per_page=1000).by_page())
    blobs = [b for page in pages for b in page]
    assert len(pages) == -(-len(ALL_NAMES) // 1000)
    assert [b.name for b in blobs] == ALL_NAMES
    assert all(b.metadata == {"n": str(len(b.name))} for b in blobs)
    assert all(b.size == len(b.name.encode()) for b in blobs)


def test_prefix_listing(listed_container):
    names = [b.name for b in listed_container.list_blobs(name_starts_with="tree/d1/")]
    assert names == [n for n in ALL_NAMES if n.startswith("tree/d1/")]


def test_walk_blobs_top_level(listed_container):
    items = list(listed_container.walk_blobs(delimiter="/"))
    prefixes = [i.name for i in items if isinstance(i, BlobPrefix)]
    blobs = [i.name for i in items if not isinstance(i, BlobPrefix)]
    assert prefixes == ["big/", "tree/"]
    assert blobs == ["top-0", "top-1", "zz+plus=equals&amp"]


def test_walk_blobs_recursively_finds_every_blob(listed_container):
    def walk(prefix: str) -> list[str]:
        found = []
        for item in listed_container.walk_blobs(name_starts_with=prefix, delimiter="/"):
            if isinstance(item, BlobPrefix):
                assert item.name.startswith(prefix) and item.name.endswith("/")
                found += walk(item.name)
            else:
                found.append(item.name)
        return found

    assert sorted(walk("")) == ALL_NAMES


def test_walk_blobs_pages_through_a_big_folder(listed_container):
    pages = list(listed_container.walk_blobs(name_starts_with="big/", delimiter="/").by_page())
    names = [item.name for page in pages for item in page]
    assert len(pages) >= 2, "5100 blobs in one folder must span more than one page"
    assert names == [n for n in ALL_NAMES if n.startswith("big/")]


def test_delimiter_prefixes_count_toward_page_size(listed_container):
    pages = list(listed_container.walk_blobs(name_starts_with="tree/", delimiter="/",
                                             results_per_page=2).by_page())
    items = [item.name for page in pages for item in page]
    assert items == ["tree/d0/", "tree/d1/", "tree/d2/", "tree/space name.bin", "tree/ünïcode dir/"]
    assert len(pages) == 3
