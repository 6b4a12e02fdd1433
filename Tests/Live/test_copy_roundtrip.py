"""`ferry copy` round trip: a mixed tree goes up to ferry-emulator and comes back byte-identical.

Sizes cover the edges that break block code: 0 B, 1 B, 1 KiB, exactly one block and one byte
either side (for the 1 MiB blocks of the upload and the 8 MiB default blocks of the download),
9 MiB and 100 MiB; names with spaces, unicode and nested folders.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ferry_live.blobs import new_container, service_client
from ferry_live.ferry_cli import ferry_for, manifest_rows
from ferry_live.files import assert_trees_identical, tree_files, write_random_file

KiB, MiB = 1 << 10, 1 << 20

TREE = {
    "empty.bin": 0,
    "one byte.bin": 1,
    "kib/one KiB.bin": 1 * KiB,
    "edges/1 MiB minus one.bin": 1 * MiB - 1,
    "edges/exactly 1 MiB.bin": 1 * MiB,
    "edges/1 MiB plus one.bin": 1 * MiB + 1,
    "edges/8 MiB minus one.bin": 8 * MiB - 1,
    "edges/exactly 8 MiB.bin": 8 * MiB,
    "edges/8 MiB plus one.bin": 8 * MiB + 1,
    "nine MiB.bin": 9 * MiB,
    "checkpoints/model 100 MiB.bin": 100 * MiB,
    "ünïcødé/日本語のフォルダ/ファイル.txt": 3 * KiB + 7,
    "dir with spaces/sub dir/file with spaces.txt": 555,
    "signs/a+b=c&d,e@f (1) [x] 100%.txt": 99,
    "deep/a/b/c/d/e/f/leaf.bin": 4097,
}


@pytest.fixture(scope="module")
def mixed_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("roundtrip") / "corpus"
    for seed, (name, size) in enumerate(sorted(TREE.items())):
        write_random_file(root / name, size, seed + 100)
    return root


@pytest.mark.slow
def test_recursive_upload_then_download_is_byte_identical(emulator, mixed_tree, tmp_path):
    container = new_container(emulator, prefix="roundtrip").container_name
    ferry = ferry_for(tmp_path, emulator)
    url = f"{emulator.url}/{container}"

    up = ferry.run("copy", str(mixed_tree), url, "--recursive", "--block-size-mb", "1", "--output-type", "json")
    end = up.event("end")
    assert end["state"] == "completed", up.describe()
    assert end["filesDone"] == len(TREE) and end["filesFailed"] == 0, up.describe()
    assert end["bytesDone"] == sum(TREE.values()), up.describe()

    # The directory itself lands under the destination (azcopy's rule), names byte for byte.
    blobs = {b.name: b.size for b in service_client(emulator).get_container_client(container).list_blobs()}
    assert blobs == {f"corpus/{name}": size for name, size in TREE.items()}

    # The 100 MiB file went up as 100 blocks of 1 MiB, committed in order.
    block_list = service_client(emulator).get_blob_client(container, "corpus/checkpoints/model 100 MiB.bin") \
        .get_block_list("committed")[0]
    assert [b.size for b in block_list] == [MiB] * 100
    # Every file over 1 MiB in 1 MiB blocks, each block accepted once: 2 + 8 + 8 + 9 + 9 + 100.
    assert len(emulator.stats()["putBlocks"]) == 136

    # The job database agrees: every file done.
    job = up.job_id
    states = dict(manifest_rows(ferry.home, job, "SELECT state, count(*) FROM files GROUP BY state"))
    assert states == {"done": len(TREE)}, states
    assert manifest_rows(ferry.home, job, "SELECT state FROM job") == [("completed",)]

    # Back down, with the default (8 MiB) block size this time.
    target = tmp_path / "restore"
    target.mkdir()
    down = ferry.run("copy", f"{url}/corpus", str(target), "--recursive", "--output-type", "json")
    assert down.event("end")["state"] == "completed", down.describe()
    assert_trees_identical(mixed_tree, target / "corpus")
    leftovers = [name for name in tree_files(target) if ".ferry-" in name]  # partial or temp files
    assert not leftovers, leftovers


def test_single_file_upload_keeps_or_takes_its_name(emulator, tmp_path):
    """A file to a prefix ending in / keeps its name; to a full blob URL, the URL names it."""
    container = new_container(emulator, prefix="single").container_name
    source = write_random_file(tmp_path / "src" / "weights v1.bin", 3 * MiB + 17, 7)
    ferry = ferry_for(tmp_path, emulator)
    url = f"{emulator.url}/{container}"
    ferry.run("copy", str(source), f"{url}/models/", "--block-size-mb", "1")
    ferry.run("copy", str(source), f"{url}/renamed.bin")
    client = service_client(emulator).get_container_client(container)
    assert sorted(b.name for b in client.list_blobs()) == ["models/weights v1.bin", "renamed.bin"]
    for name in ("models/weights v1.bin", "renamed.bin"):
        assert client.download_blob(name).readall() == source.read_bytes(), name

    target = tmp_path / "back.bin"
    ferry.run("copy", f"{url}/models/weights v1.bin", str(target), "--block-size-mb", "1")
    assert target.read_bytes() == source.read_bytes()


def test_overwrite_false_and_if_source_newer_leave_existing_blobs_alone(emulator, tmp_path):
    container = new_container(emulator, prefix="overwrite").container_name
    ferry = ferry_for(tmp_path, emulator)
    url = f"{emulator.url}/{container}"
    source = tmp_path / "set"
    write_random_file(source / "small.txt", 5000, 31)
    write_random_file(source / "big.bin", 3 * MiB + 1, 32)
    ferry.run("copy", str(source), url, "--recursive", "--block-size-mb", "1")
    client = service_client(emulator).get_container_client(container)
    before = {name: client.download_blob(f"set/{name}").readall() for name in ("small.txt", "big.bin")}

    # New local content, older modification time than the blobs.
    write_random_file(source / "small.txt", 5000, 33)
    write_random_file(source / "big.bin", 3 * MiB + 1, 34)
    for name in ("small.txt", "big.bin"):
        os.utime(source / name, (1_000_000_000, 1_000_000_000))
    for policy in ("false", "if-source-newer"):
        emulator.reset_stats()
        run = ferry.run("copy", str(source), url, "--recursive", "--block-size-mb", "1", "--overwrite", policy,
                        "--output-type", "json")
        end = run.event("end")
        assert end["filesSkipped"] == 2 and end["filesDone"] == 0, run.describe()
        writes = {op: n for op, n in emulator.stats()["requests"].items() if op in ("PutBlob", "PutBlock", "PutBlockList")}
        assert writes == {}, f"--overwrite {policy} wrote: {writes}"
    for name, data in before.items():
        assert client.download_blob(f"set/{name}").readall() == data, name

    # Default (true) replaces them.
    ferry.run("copy", str(source), url, "--recursive", "--block-size-mb", "1")
    for name in before:
        assert client.download_blob(f"set/{name}").readall() == (source / name).read_bytes(), name


def test_many_small_files_round_trip(emulator, tmp_path, report_figure):
    root = tmp_path / "small-files"
    for i in range(2000):
        write_random_file(root / f"d{i % 20:02d}/f{i:04d}.txt", 64 + i % 1000, 5000 + i)
    container = new_container(emulator, prefix="smallfiles").container_name
    ferry = ferry_for(tmp_path, emulator)
    url = f"{emulator.url}/{container}"
    started = time.monotonic()
    ferry.run("copy", str(root), url, "--recursive")
    up = time.monotonic() - started
    target = tmp_path / "down"
    target.mkdir()
    started = time.monotonic()
    ferry.run("copy", f"{url}/small-files", str(target), "--recursive")
    down = time.monotonic() - started
    assert_trees_identical(root, target / "small-files")
    report_figure(f"2000 small files: upload {2000 / up:.0f} files/s, download {2000 / down:.0f} files/s "
                  "(debug build, shared 2-core machine)")
