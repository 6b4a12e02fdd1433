"""Throttling: `--cap-mbps C` (decimal megabits/s, ONE budget shared by every worker) means N bytes
take at least N·8/C seconds. Only a lower bound is asserted (with 20 % slack for the bucket's
burst and clock granularity) — a loaded machine may be slower, never faster, than the cap."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from ferry_live.blobs import new_container
from ferry_live.ferry_cli import ferry_for
from ferry_live.files import assert_trees_identical, write_random_file

MiB = 1 << 20
CAP_MBPS = 24
TREE = {"big.bin": 10 * MiB + 3, "small/a.bin": 700_000, "small/b.bin": 300_001}
TOTAL = sum(TREE.values())
MINIMUM_SECONDS = TOTAL * 8 / (CAP_MBPS * 1_000_000) * 0.8  # ≈ 3.9 s


@pytest.fixture
def capped_tree(tmp_path) -> Path:
    root = tmp_path / "capped"
    for seed, (name, size) in enumerate(sorted(TREE.items())):
        write_random_file(root / name, size, seed + 500)
    return root


def timed(ferry, *args) -> float:
    started = time.monotonic()
    ferry.run(*args)
    return time.monotonic() - started


def test_capped_upload_and_download_take_at_least_the_time_the_cap_implies(emulator, capped_tree, tmp_path,
                                                                           report_figure):
    container = new_container(emulator, prefix="capped").container_name
    ferry = ferry_for(tmp_path, emulator)
    url = f"{emulator.url}/{container}"
    flags = ["--recursive", "--block-size-mb", "1", "--concurrency", "8", "--cap-mbps", str(CAP_MBPS)]

    up = timed(ferry, "copy", str(capped_tree), url, *flags)
    target = tmp_path / "down"
    target.mkdir()
    down = timed(ferry, "copy", f"{url}/capped", str(target), *flags)
    report_figure(f"{TOTAL} bytes at --cap-mbps {CAP_MBPS}: upload {up:.2f} s, download {down:.2f} s "
                  f"(lower bound {MINIMUM_SECONDS:.2f} s)")
    assert_trees_identical(capped_tree, target / "capped")
    assert up >= MINIMUM_SECONDS, f"upload of {TOTAL} B took {up:.2f} s, faster than {CAP_MBPS} Mbit/s allows"
    assert down >= MINIMUM_SECONDS, f"download of {TOTAL} B took {down:.2f} s, faster than {CAP_MBPS} Mbit/s allows"
