"""`--shard I/N` end to end: four shard processes run at once on a heavy-tailed tree (thousands of
small files and a few of 100 MiB), as four machines of a Slurm array or an Indexed Job would; one is
killed with -9 and resumed with `jobs resume`, another on a "new machine" (a fresh FERRY_HOME). The
union is the source (read back with Microsoft's SDK), the parts are disjoint, the byte balance holds,
the merged receipt verifies and equals a single machine's; `ls`, `verify` and `receipt` take the same
split; a sharded sync deletes only what its shard owns.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import time
from pathlib import Path

from ferry_live.blobs import new_container
from ferry_live.ferry_cli import ferry_for, job_ids, manifest_rows, parse_ndjson
from test_receipts import last_line, read_receipt

SHARDS = 4
BIG = 100 << 20


def make_heavy_tailed_tree(root: Path, seed: int = 12) -> dict[str, bytes]:
    """~2,400 files of 1–100 KiB and three of 100 MiB: each large file fits a fair share (whole files
    cannot balance one larger than that). Returns relative path → SHA-256."""
    rng = random.Random(seed)
    digests = {}
    small = os.urandom(100 << 10)
    for index in range(2400):
        size = rng.randint(1 << 10, 100 << 10)
        offset = rng.randint(0, len(small) - size)
        name = f"shards/{index % 24:02d}/sample-{index:05d}.json"
        data = index.to_bytes(4, "big") + small[offset:offset + size - 4]
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        digests[name] = hashlib.sha256(data).digest()
    for index in range(3):
        name = f"checkpoints/step-{index}.pt"
        data = os.urandom(BIG)
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
        digests[name] = hashlib.sha256(data).digest()
    return digests


def start_event(stdout_path: Path) -> dict | None:
    for line in stdout_path.read_text(errors="replace").splitlines():
        if '"type":"start"' in line:
            return json.loads(line)
    return None


def test_four_shards_at_once_cover_the_tree_disjointly_balanced_and_survive_kill9(emulator, tmp_path):
    source = tmp_path / "data" / "corpus"
    digests = make_heavy_tailed_tree(source)
    container = new_container(emulator, prefix="shards")
    url = f"{emulator.url}/{container.container_name}"
    nodes = [ferry_for(tmp_path / f"node{i}", emulator) for i in range(SHARDS)]

    def command(i: int) -> list[str]:
        return ["copy", str(source), url, "--recursive", "--shard", f"{i}/{SHARDS}", "--output-type", "json",
                "--receipt", str(tmp_path / f"node{i}" / "receipt.jsonl")]

    # Shard 2 is slowed so that it is surely mid-way when killed; the split does not depend on it.
    processes = [nodes[i].start(*command(i), *(["--cap-mbps", "200"] if i == 2 else [])) for i in range(SHARDS)]
    stdout2 = tmp_path / "node2" / "ferry-bg.stdout"
    deadline = time.monotonic() + 120
    killed_job = None
    while time.monotonic() < deadline:
        assert processes[2].poll() is None, "shard 2 ended before the kill point"
        event = start_event(stdout2)
        if event:
            done = manifest_rows(nodes[2].home, event["jobId"], "SELECT COUNT(*) FROM blocks WHERE state = 'done'")
            if done and done[0][0] >= 3:
                processes[2].kill()
                processes[2].wait()
                killed_job = event["jobId"]
                break
        time.sleep(0.05)
    assert killed_job, "shard 2 never reached its kill point"
    for i in (0, 1, 3):
        assert processes[i].wait(timeout=600) == 0, nodes[i].background_output()

    # Shard 2 resumes on its own machine; shard 3's machine is "lost" and its command is run again
    # on a new one (fresh FERRY_HOME): it lists, splits the same way, and finds its blobs in place.
    resumed = nodes[2].run("jobs", "resume", killed_job, "--output-type", "json")
    end = resumed.event("end")
    assert end["state"] == "completed" and end["bytesResumed"] > 0, resumed.describe()
    fresh = ferry_for(tmp_path / "node3-new", emulator)
    rerun = fresh.run(*command(3)[:-2], "--receipt", str(tmp_path / "node3-new" / "receipt.jsonl"))
    assert rerun.event("end")["state"] == "completed", rerun.describe()

    # The split each shard announced: the same totals everywhere, its part within 10 % of the others.
    shares = []
    for i in range(SHARDS):
        out = (tmp_path / f"node{i}" / "ferry-bg.stdout").read_text()
        shard_events = [e for e in parse_ndjson(out) if e.get("type") == "shard"]
        assert len(shard_events) == 1, out[-2000:]
        shares.append(shard_events[0]["shard"])
    assert {(s["totalFiles"], s["totalBytes"]) for s in shares} == {(len(digests), sum(s["bytes"] for s in shares))}
    assert [s["index"] for s in shares] == list(range(SHARDS))

    # Receipts: disjoint, together every file; shard 2's receipt is its job's (written by the resume).
    receipts = [tmp_path / f"node{i}" / "receipt.jsonl" for i in (0, 1, 3)]
    receipts.append(nodes[2].home / "jobs" / f"{killed_job}.receipt.jsonl")
    parts = [{e["path"]: e["size"] for e in read_receipt(r)[0]} for r in receipts]
    names = [set(p) for p in parts]
    assert sum(len(n) for n in names) == len(set().union(*names)) == len(digests)
    assert set().union(*names) == {f"corpus/{n}" for n in digests}
    part_bytes = sorted(sum(p.values()) for p in parts)
    assert part_bytes[-1] / part_bytes[0] <= 1.10, part_bytes
    print(f"shard bytes: {part_bytes}, max/min {part_bytes[-1] / part_bytes[0]:.4f}")
    fresh_part = {e["path"] for e in read_receipt(tmp_path / "node3-new" / "receipt.jsonl")[0]}
    assert fresh_part == names[2]  # the new machine took exactly shard 3's files again

    # What landed, read back with Microsoft's SDK.
    blobs = {b.name: b.size for b in container.list_blobs()}
    assert set(blobs) == {f"corpus/{n}" for n in digests}
    for name, digest in digests.items():
        assert hashlib.sha256(container.download_blob(f"corpus/{name}").readall()).digest() == digest, name

    # The merged receipt verifies, and is the receipt one machine would have written.
    merged = tmp_path / "merged.jsonl"
    nodes[0].run("receipt", "merge", *map(str, receipts), "--output", str(merged))
    verify = nodes[0].run("verify", str(merged), url)
    assert "OK: every file matches" in verify.stdout, verify.describe()
    whole = nodes[0].run("receipt", str(tmp_path / "data"), "--output", str(tmp_path / "whole.jsonl"))
    assert last_line(merged) == last_line(tmp_path / "whole.jsonl"), whole.describe()

    # ls, receipt and verify take the same split as the copies did.
    for i in range(SHARDS):
        listed = nodes[0].run("ls", "-r", url, "--shard", f"{i}/{SHARDS}", "--output-type", "json")
        paths = {e["path"] for e in listed.events if e["type"] == "object"}
        part_of_shard = {0: parts[0], 1: parts[1], 3: parts[2], 2: parts[3]}[i]  # the order `receipts` has
        assert paths == set(part_of_shard), f"ls --shard {i}/{SHARDS} differs from the copy's part"
        checked = nodes[0].run("verify", str(merged), url, "--shard", f"{i}/{SHARDS}", "--output-type", "json")
        summary = checked.event("verifySummary")
        assert summary["result"] == "match" and summary["matched"] == len(paths), checked.describe()
        nodes[0].run("receipt", url, "--shard", f"{i}/{SHARDS}", "--output", str(tmp_path / f"ls{i}.jsonl"))
        assert {e["path"] for e in read_receipt(tmp_path / f"ls{i}.jsonl")[0]} == paths


def test_sharded_sync_deletes_only_what_its_shard_owns(emulator, tmp_path):
    source = tmp_path / "src"
    for index in range(40):
        (source / f"d{index % 4}").mkdir(parents=True, exist_ok=True)
        (source / f"d{index % 4}" / f"f{index:02d}.bin").write_bytes(os.urandom(1000 + 37 * index))
    container = new_container(emulator, prefix="shardsync")
    url = f"{emulator.url}/{container.container_name}/mirror"
    ferry = ferry_for(tmp_path, emulator)
    ferry.run("sync", str(source), url)
    extras = [f"gone/old{index:02d}.bin" for index in range(20)]
    for name in extras:
        container.upload_blob(f"mirror/{name}", b"stale")

    # Shard 0 alone: it sends nothing (all in place), deletes only the extras it owns, and never a
    # file of shard 1 (which the destination holds and shard 0's job did not list as its own).
    first = ferry.run("sync", str(source), url, "--delete-destination", "true", "--shard", "0/2", "--output-type", "json")
    deleted_first = {e["path"].split("/mirror/", 1)[1] for e in first.events if e.get("type") == "deleted"}
    assert deleted_first and deleted_first < set(extras), first.describe()
    remaining = {b.name for b in container.list_blobs(name_starts_with="mirror/")}
    assert all(f"mirror/{p.relative_to(source).as_posix()}" in remaining for p in source.rglob("*.bin"))
    assert 0 < len(deleted_first) < len(extras)

    second = ferry.run("sync", str(source), url, "--delete-destination", "true", "--shard", "1/2", "--output-type", "json")
    deleted_second = {e["path"].split("/mirror/", 1)[1] for e in second.events if e.get("type") == "deleted"}
    assert deleted_first.isdisjoint(deleted_second) and len(deleted_first) + len(deleted_second) == len(extras)
    remaining = {b.name[len("mirror/"):] for b in container.list_blobs(name_starts_with="mirror/")}
    assert remaining == {p.relative_to(source).as_posix() for p in source.rglob("*.bin")}

    # A shard with no files of its own (more shards than files) still never deletes by mistake:
    # the "empty source" rule looks at the whole listing, not at the shard's part.
    lonely = tmp_path / "one"
    lonely.mkdir()
    (lonely / "only.bin").write_bytes(b"x" * 10)
    ferry.run("sync", str(lonely), f"{emulator.url}/{container.container_name}/lonely")
    run = ferry.run("sync", str(lonely), f"{emulator.url}/{container.container_name}/lonely", "--delete-destination", "true",
                    "--shard", "1/3")
    assert [b.name for b in container.list_blobs(name_starts_with="lonely/")] == ["lonely/only.bin"], run.describe()
    assert job_ids(ferry.home)
