"""Examples/slurm-array on a real one-node Slurm cluster: `ferry-array.sbatch` (its own `#SBATCH
--array=0-3`) runs the installed, statically linked `ferry copy --shard auto` once per task, all four
at once, and `ferry-merge.sbatch`, submitted with `--dependency=afterok` as the example's README says,
merges the four receipts and verifies the destination — once against the emulator, once against
SeaweedFS.

Checked: every task took the shard its SLURM_ARRAY_TASK_ID names; the parts are exactly the
documented split (sizes descending, then path bytes, each onto the lightest shard), disjoint, together
the source, within 10 % of each other in bytes; the destination read back with Microsoft's SDK / boto3
holds the source's bytes; the merged receipt verifies and its last line (rootHash) is the one
`ferry receipt` gives for the source. And the README's way back from a lost task: a task killed with
SIGKILL mid-file leaves the merge unrun; the shard run again alone (`--array=2`, FERRY_SHARD=2/4)
reuses the blocks it had staged, and a new merge completes the dataset.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import uuid
from pathlib import Path

import pytest

from ferry_live.blobs import new_container
from ferry_live.ferry_cli import wait_until
from ferry_live.install import INSTALL_TIMEOUT_SECONDS, REPO
from test_receipts import last_line, read_receipt

pytestmark = pytest.mark.timeout(INSTALL_TIMEOUT_SECONDS + 900)  # the installed_ferry build, first time

EXAMPLE = REPO / "Examples" / "slurm-array"
SHARDS = 4
MIB = 1 << 20


def make_heavy_tailed_tree(root: Path, seed: int = 4) -> dict[str, bytes]:
    """400 files of 1–64 KiB (~13 MiB) and four of 21–24 MiB: the small files fill the large ones'
    differences (at most 3 MiB each), so whole files can balance within 10 %. Returns path → bytes."""
    rng = random.Random(seed)
    pool = os.urandom(64 << 10)
    files: dict[str, bytes] = {}
    for index in range(400):
        size = rng.randint(1 << 10, 64 << 10)
        offset = rng.randint(0, len(pool) - size)
        files[f"text/{index % 16:02d}/doc-{index:04d}.jsonl"] = index.to_bytes(4, "big") + pool[offset + 4:offset + size]
    for index, mib in enumerate((24, 21, 23, 22)):
        files[f"checkpoints/step-{index}.pt"] = os.urandom(mib * MIB + rng.randint(0, 64 << 10))
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return files


def documented_split(sizes: dict[str, int], count: int) -> list[set[str]]:
    """The split README "Past one machine" describes: size descending, then path bytes ascending,
    each file onto the shard with the fewest bytes so far (the lowest index on a tie)."""
    parts: list[set[str]] = [set() for _ in range(count)]
    loads = [0] * count
    for name in sorted(sizes, key=lambda n: (-sizes[n], n.encode())):
        lightest = min(range(count), key=lambda i: (loads[i], i))
        parts[lightest].add(name)
        loads[lightest] += sizes[name]
    return parts


class AzureSide:
    def __init__(self, emulator):
        self.container = new_container(emulator, prefix="slurm")
        self.url = f"{emulator.url}/{self.container.container_name}"
        self.env = {"AZURE_STORAGE_CONNECTION_STRING": emulator.connection_string}

    def objects(self) -> dict[str, bytes]:
        return {b.name: self.container.download_blob(b.name).readall() for b in self.container.list_blobs()}


class S3Side:
    def __init__(self, seaweed):
        from ferry_live.seaweed import BUCKET
        self.bucket, self.prefix = BUCKET, f"slurm-{uuid.uuid4().hex[:8]}/"
        self.client = seaweed.client()
        self.url = f"s3://{BUCKET}/{self.prefix}"
        self.env = {**seaweed.env, "AWS_ENDPOINT_URL_S3": seaweed.endpoint}  # as the example's README says

    def objects(self) -> dict[str, bytes]:
        found = {}
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                body = self.client.get_object(Bucket=self.bucket, Key=item["Key"])["Body"].read()
                found[item["Key"][len(self.prefix):]] = body
        return found


def example_env(tmp_path: Path, installed_ferry: Path, source: Path, side) -> dict[str, str]:
    """The variables the example's scripts read, as a user exports them before `sbatch`."""
    return {"FERRY_BIN": str(installed_ferry / "ferry"), "FERRY_SOURCE": str(source), "FERRY_DEST": side.url,
            "FERRY_RECEIPTS": str(tmp_path / "receipts"), "HOME": str(tmp_path / "home"), **side.env}


def submit_example(slurm, tmp_path: Path, env: dict[str, str]) -> tuple[str, str]:
    """As the example's README says: the array, then the merge once every task succeeded."""
    logs = tmp_path / "logs"
    array = slurm.submit(EXAMPLE / "ferry-array.sbatch", env=env, workdir=tmp_path, output_dir=logs)
    merge = slurm.submit(EXAMPLE / "ferry-merge.sbatch", env=env, workdir=tmp_path, output_dir=logs, after_ok=array)
    return array, merge


def check_merged_receipt(installed_ferry: Path, tmp_path: Path, side, source: Path, merge_output: str) -> None:
    """The merged receipt verifies (again, from here) and is the receipt of the source."""
    merged = tmp_path / "receipts" / "dataset.jsonl"
    ferry = str(installed_ferry / "ferry")
    plain = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home"), **side.env}
    verify = subprocess.run([ferry, "verify", str(merged), side.url], env=plain, capture_output=True, text=True,
                            timeout=600)
    assert verify.returncode == 0 and "OK: every file matches" in verify.stdout, verify
    whole = tmp_path / "whole.jsonl"
    written = subprocess.run([ferry, "receipt", str(source.parent), "--output", str(whole)], env=plain,
                             capture_output=True, text=True, timeout=600)
    assert written.returncode == 0, written
    assert json.loads(last_line(merged))["rootHash"] == json.loads(last_line(whole))["rootHash"]
    assert last_line(merged) == last_line(whole)
    assert merge_output.rstrip("\n").splitlines()[-1].encode() == last_line(merged)  # the script's last line


@pytest.mark.parametrize("store", ["azure", "s3"])
def test_the_slurm_array_example_copies_balanced_disjoint_shards_and_its_merge_verifies(
        store, slurm, installed_ferry: Path, request, tmp_path):
    side = AzureSide(request.getfixturevalue("emulator")) if store == "azure" \
        else S3Side(request.getfixturevalue("seaweed"))
    source = tmp_path / "data" / "corpus"
    files = make_heavy_tailed_tree(source)
    receipts = tmp_path / "receipts"

    array, merge = submit_example(slurm, tmp_path, example_env(tmp_path, installed_ferry, source, side))
    merged_job = slurm.wait(merge, timeout=900)
    copies = slurm.wait(array, timeout=60)

    assert sorted(copies.tasks) == list(range(SHARDS)), copies.describe()  # the script's own --array=0-3
    assert all(task.succeeded for task in copies.tasks.values()), copies.describe()
    # The four shards ran at once (the partition lets four tasks share the two cores), as on four nodes.
    assert max(t.start for t in copies.tasks.values()) <= min(t.end for t in copies.tasks.values()), \
        {i: (t.start, t.end) for i, t in copies.tasks.items()}
    for index, task in copies.tasks.items():
        said = f"ferry: shard {index}/{SHARDS} (from SLURM_ARRAY_TASK_ID={index}, SLURM_ARRAY_TASK_COUNT={SHARDS})"
        assert said in task.output.splitlines(), task.output[-2000:]
    assert merged_job.tasks[0].succeeded, merged_job.describe() + "\n" + copies.describe()
    assert "OK: every file matches" in merged_job.tasks[0].output, merged_job.describe()

    # The parts: the documented split, disjoint, complete, balanced by bytes.
    parts = [{e["path"]: e["size"] for e in read_receipt(receipts / f"part-{i}.jsonl")[0]} for i in range(SHARDS)]
    expected = documented_split({f"corpus/{n}": len(d) for n, d in files.items()}, SHARDS)
    assert [set(p) for p in parts] == expected
    assert sum(len(p) for p in parts) == len(set().union(*parts)) == len(files)
    part_bytes = [sum(p.values()) for p in parts]
    assert max(part_bytes) / min(part_bytes) <= 1.10, part_bytes
    print(f"{store}: shard bytes {part_bytes}, max/min {max(part_bytes) / min(part_bytes):.4f}")

    # What landed, read back with the store's own SDK.
    landed = side.objects()
    assert set(landed) == {f"corpus/{n}" for n in files}
    for name, data in files.items():
        assert hashlib.sha256(landed[f"corpus/{name}"]).digest() == hashlib.sha256(data).digest(), name

    check_merged_receipt(installed_ferry, tmp_path, side, source, merged_job.tasks[0].output)


def test_a_task_killed_mid_copy_run_again_alone_reuses_its_staged_blocks_and_the_merge_completes(
        slurm, installed_ferry: Path, emulator, tmp_path):
    side = AzureSide(emulator)
    source = tmp_path / "data" / "corpus"
    files = make_heavy_tailed_tree(source, seed=5)
    expected = documented_split({f"corpus/{n}": len(d) for n, d in files.items()}, SHARDS)
    big = next(n for n in expected[2] if n.startswith("corpus/checkpoints/"))  # shard 2's large file
    # 1 MiB blocks at 40 Mbit/s per task (its 22 MiB file takes ~5 s): shard 2 is surely mid-file when
    # its node is "lost".
    env = {**example_env(tmp_path, installed_ferry, source, side), "FERRY_COPY_FLAGS": "--block-size-mb 1 --cap-mbps 40"}
    array, merge = submit_example(slurm, tmp_path, env)

    def staged_of_big() -> int:
        return sum(1 for b in emulator.stats()["putBlocks"] if b["blob"] == big)
    wait_until(lambda: staged_of_big() >= 3, timeout=300, what=f"3 staged blocks of {big}")
    # kill -9 of the task's ferry (the batch script exec'd it), at once; `scancel --signal=KILL` takes
    # seconds to travel through slurmctld and slurmd, long enough for the file to be finished.
    task_job = slurm.command("squeue", "-h", "-j", f"{array}_2", "-o", "%A").stdout.strip()  # its own job ID
    listed = slurm.command("scontrol", "listpids", task_job).stdout.splitlines()[1:]
    ferry_pids = [int(line.split()[0]) for line in listed
                  if os.path.realpath(f"/proc/{line.split()[0]}/exe") == str(installed_ferry / "ferry")]
    assert len(ferry_pids) == 1, listed
    os.kill(ferry_pids[0], signal.SIGKILL)
    cancelled = slurm.wait(merge, timeout=900)
    first = slurm.wait(array, timeout=60)
    assert {i: t.succeeded for i, t in first.tasks.items()} == {0: True, 1: True, 2: False, 3: True}, first.describe()
    assert first.tasks[2].signal == signal.SIGKILL, first.describe()
    assert cancelled.tasks[0].state == "CANCELLED" and not (tmp_path / "receipts" / "dataset.jsonl").exists(), \
        cancelled.describe()  # the merge never ran: a dependency that can no longer be met
    assert not (tmp_path / "receipts" / "part-2.jsonl").exists()
    assert big not in {b.name for b in side.container.list_blobs()}, "the large file was committed before the kill"

    # The README's way: the shard alone (`--array=2` would be shard 0/1 without FERRY_SHARD), then the merge.
    again = slurm.submit(EXAMPLE / "ferry-array.sbatch", array="2",
                         env={**env, "FERRY_SHARD": "2/4", "FERRY_COPY_FLAGS": "--block-size-mb 1 --output-type json"},
                         workdir=tmp_path, output_dir=tmp_path / "logs-again")
    merge = slurm.submit(EXAMPLE / "ferry-merge.sbatch", env=env, workdir=tmp_path, output_dir=tmp_path / "logs-again",
                         after_ok=again)
    merged_job = slurm.wait(merge, timeout=900)
    rerun = slurm.wait(again, timeout=60)
    assert sorted(rerun.tasks) == [2] and rerun.tasks[2].succeeded, rerun.describe()
    events = [json.loads(line) for line in rerun.tasks[2].output.splitlines() if line.startswith("{")]
    end = [e for e in events if e.get("type") == "end"]
    assert end and end[-1]["state"] == "completed" and end[-1]["bytesResumed"] >= 3 * MIB, rerun.describe()
    assert merged_job.tasks[0].succeeded, merged_job.describe() + "\n" + rerun.describe()
    print(f"killed task 2: {first.tasks[2].state} {first.tasks[2].exit_code}:{first.tasks[2].signal}; its re-run "
          f"reused {end[-1]['bytesResumed']} staged bytes")

    assert {e["path"] for e in read_receipt(tmp_path / "receipts" / "part-2.jsonl")[0]} == expected[2]
    landed = side.objects()
    assert set(landed) == {f"corpus/{n}" for n in files}
    assert all(landed[f"corpus/{n}"] == d for n, d in files.items())
    check_merged_receipt(installed_ferry, tmp_path, side, source, merged_job.tasks[0].output)
