"""Transient service failures injected by ferry-emulator (503 ServerBusy, 500 OperationTimedOut,
dropped connections): `ferry copy` retries them and the result is byte-identical; a `Retry-After`
from the service is honoured (never retried sooner)."""
from __future__ import annotations

import time

from ferry_live.blobs import new_container, service_client
from ferry_live.ferry_cli import ferry_for, put_block_indexes
from ferry_live.files import assert_trees_identical, write_random_file

KiB, MiB = 1 << 10, 1 << 20


def make_tree(root, seed: int):
    write_random_file(root / "big.bin", 12 * MiB + 9, seed)
    for i in range(6):
        write_random_file(root / f"small/{i}.bin", 10 * KiB * (i + 1), seed + i + 1)
    return root


def test_busy_timeouts_and_drops_are_retried_both_ways(emulator, tmp_path):
    container = new_container(emulator, prefix="faulty").container_name
    source = make_tree(tmp_path / "faulty", 81)
    ferry = ferry_for(tmp_path, emulator)
    url = f"{emulator.url}/{container}"
    emulator.reset_stats()
    emulator.set_faults(["busy:ops=PutBlock+PutBlob,rate=0.3", "timeout:ops=PutBlockList,count=1",
                         "drop:ops=PutBlock,after=2,count=2"], seed=5)
    up = ferry.run("copy", str(source), url, "--recursive", "--block-size-mb", "1", "--output-type", "json")
    assert up.event("end")["filesFailed"] == 0, up.describe()
    stats = emulator.stats()
    assert stats["faultsInjected"] >= 4, stats
    assert sorted(set(put_block_indexes(stats))) == list(range(13)), "every block of big.bin accepted"
    client = service_client(emulator).get_container_client(container)
    assert client.download_blob("faulty/big.bin").readall() == (source / "big.bin").read_bytes()

    emulator.set_faults(["busy:ops=GetBlob,rate=0.3", "drop:ops=GetBlob,after=1,count=2",
                         "timeout:ops=GetBlob,after=5,count=1"], seed=6)
    emulator.reset_stats()
    target = tmp_path / "down"
    target.mkdir()
    down = ferry.run("copy", f"{url}/faulty", str(target), "--recursive", "--block-size-mb", "1",
                     "--output-type", "json")
    assert down.event("end")["filesFailed"] == 0, down.describe()
    assert emulator.stats()["faultsInjected"] >= 4
    assert_trees_identical(source, target / "faulty")


def test_retry_after_is_honoured(emulator, tmp_path):
    container = new_container(emulator, prefix="retryafter").container_name
    source = write_random_file(tmp_path / "one.bin", 20 * KiB, 82)
    ferry = ferry_for(tmp_path, emulator)
    emulator.reset_stats()
    emulator.set_faults(["busy:ops=PutBlob,count=1,retry-after=3"])
    started = time.monotonic()
    ferry.run("copy", str(source), f"{emulator.url}/{container}/one.bin")
    elapsed = time.monotonic() - started
    assert emulator.stats()["requests"]["PutBlob"] == 2
    assert elapsed >= 2.9, f"retried after {elapsed:.2f} s although the service said Retry-After: 3"
    assert service_client(emulator).get_blob_client(container, "one.bin").download_blob().readall() == \
        source.read_bytes()
