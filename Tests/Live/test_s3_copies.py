"""Copies that touch S3 on one or both sides, streamed through Ferry's buffers: Azure (emulator) →
S3, S3 → S3 (another bucket, another prefix), S3 → Azure; `--cap-mbps` as a lower bound and
`--output-type json` for S3 as for Azure (the same assertions as test_copy_throttle/test_copy_output)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from ferry_live.blobs import new_container, service_client
from ferry_live.ferry_cli import ferry_for, job_ids, key_env, parse_ndjson
from ferry_live.files import assert_trees_identical, tree_files, write_random_file
from ferry_live.seaweed import BUCKET

MiB = 1 << 20


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "tree"
    write_random_file(root / "big.bin", 12 * MiB + 777, 61)
    write_random_file(root / "nested/x.bin", 300_001, 62)
    write_random_file(root / "nested/ü.txt", 1234, 63)
    write_random_file(root / "empty.bin", 0, 64)
    return root


def both(tmp_path, emulator, seaweed):
    return ferry_for(tmp_path, env={**key_env(emulator), **seaweed.env})


def download_s3(ferry, seaweed, url: str, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    ferry.run("copy", url, str(target), "--recursive", "--s3-endpoint", seaweed.endpoint)


def test_azure_to_s3_and_back(emulator, seaweed, tree, tmp_path):
    container = new_container(emulator, prefix="s3x").container_name
    ferry = both(tmp_path, emulator, seaweed)
    ferry.run("copy", str(tree), f"{emulator.url}/{container}", "--recursive")
    flags = ["--recursive", "--block-size-mb", "5", "--s3-endpoint", seaweed.endpoint]

    ferry.run("copy", f"{emulator.url}/{container}/tree", f"s3://{BUCKET}/from-azure/", *flags)
    head = seaweed.client().head_object(Bucket=BUCKET, Key="from-azure/tree/big.bin")
    assert head["ETag"].strip('"').endswith("-3"), head["ETag"]
    download_s3(ferry, seaweed, f"s3://{BUCKET}/from-azure/tree", tmp_path / "via-s3")
    assert_trees_identical(tree, tmp_path / "via-s3" / "tree")

    back = new_container(emulator, prefix="back").container_name
    ferry.run("copy", f"s3://{BUCKET}/from-azure/tree", f"{emulator.url}/{back}", *flags)
    container_client = service_client(emulator).get_container_client(back)
    for name in tree_files(tree):
        assert container_client.download_blob(f"tree/{name}").readall() == (tree / name).read_bytes(), name


def test_s3_to_s3_between_buckets(seaweed, tree, tmp_path):
    seaweed.client().create_bucket(Bucket="second")
    ferry = ferry_for(tmp_path, env=seaweed.env)
    flags = ["--recursive", "--block-size-mb", "5", "--s3-endpoint", seaweed.endpoint]
    ferry.run("copy", str(tree), f"s3://{BUCKET}/a/", *flags)
    ferry.run("copy", f"s3://{BUCKET}/a/tree/*", "s3://second/b/copy/", *flags)
    download_s3(ferry, seaweed, "s3://second/b/copy", tmp_path / "down")
    assert_trees_identical(tree, tmp_path / "down" / "copy")
    # The copy kept the whole-object CRC-64 the first upload stored (checked end to end again).
    assert seaweed.client().head_object(Bucket="second", Key="b/copy/big.bin", ChecksumMode="ENABLED").get("ChecksumCRC64NVME")


CAP_MBPS = 24
TOTAL = 12 * MiB + 300_001


def test_capped_s3_upload_and_download_take_at_least_the_time_the_cap_implies(seaweed, tmp_path, report_figure):
    root = tmp_path / "capped"
    write_random_file(root / "big.bin", 12 * MiB, 81)
    write_random_file(root / "small.bin", 300_001, 82)
    minimum = TOTAL * 8 / (CAP_MBPS * 1_000_000) * 0.8
    ferry = ferry_for(tmp_path, env=seaweed.env)
    flags = ["--recursive", "--block-size-mb", "5", "--concurrency", "8", "--cap-mbps", str(CAP_MBPS),
             "--s3-endpoint", seaweed.endpoint]
    started = time.monotonic()
    ferry.run("copy", str(root), f"s3://{BUCKET}/", *flags)
    up = time.monotonic() - started
    target = tmp_path / "down"
    target.mkdir()
    started = time.monotonic()
    ferry.run("copy", f"s3://{BUCKET}/capped", str(target), *flags)
    down = time.monotonic() - started
    report_figure(f"S3 {TOTAL} bytes at --cap-mbps {CAP_MBPS}: upload {up:.2f} s, download {down:.2f} s "
                  f"(lower bound {minimum:.2f} s)")
    assert_trees_identical(root, target / "capped")
    assert up >= minimum, f"upload took {up:.2f} s, faster than {CAP_MBPS} Mbit/s allows"
    assert down >= minimum, f"download took {down:.2f} s, faster than {CAP_MBPS} Mbit/s allows"


def test_json_output_for_an_s3_upload(seaweed, tree, tmp_path):
    ferry = ferry_for(tmp_path, env=seaweed.env)
    total = sum(tree_files(tree).values())
    run = ferry.run("copy", str(tree), f"s3://{BUCKET}/json/", "--recursive", "--block-size-mb", "5",
                    "--cap-mbps", "16", "--output-type", "json", "--s3-endpoint", seaweed.endpoint)
    events = parse_ndjson(run.stdout)
    kinds = [e.get("type") for e in events]
    assert kinds[0] == "start" and kinds[-1] == "end", kinds
    assert kinds.count("progress") >= 2, kinds
    job = events[0]["jobId"]
    assert all(e.get("jobId") == job for e in events) and job_ids(ferry.home) == [job]
    assert events[0]["destination"] == f"s3://{BUCKET}/json/"
    done = [e["bytesDone"] for e in events if e["type"] == "progress"]
    assert done == sorted(done), done
    end = events[-1]
    assert end["state"] == "completed" and end["bytesDone"] == total and end["filesDone"] == 4, end
    assert seaweed.access_key not in run.stdout + run.stderr and seaweed.secret_key not in run.stdout + run.stderr


def test_an_s3_object_whose_bytes_disagree_with_its_stored_crc64_is_never_written(seaweed, tmp_path):
    """A listing carries no checksums, so a file that fits one GET is checked against the CRC-64
    its GET answer carries (`x-amz-meta-ferrycrc64`). Storage that returns other bytes than it
    stored (simulated: another object's bytes, of the same size, under this one's CRC-64) fails
    that file with exit 1 and leaves nothing under its name, downloaded (streamed) or copied to
    S3 (buffered); the sound object beside it arrives."""
    ferry = ferry_for(tmp_path, env=seaweed.env)
    good = write_random_file(tmp_path / "src" / "good.bin", 300_001, 65)
    ferry.run("copy", str(good), f"s3://{BUCKET}/stored/good.bin", "--s3-endpoint", seaweed.endpoint)
    client = seaweed.client()
    stored = client.head_object(Bucket=BUCKET, Key="stored/good.bin")["Metadata"]
    assert "ferrycrc64" in stored, stored
    other = write_random_file(tmp_path / "other.bin", 300_001, 66).read_bytes()
    client.put_object(Bucket=BUCKET, Key="stored/rotten.bin", Body=other, Metadata={"ferrycrc64": stored["ferrycrc64"]})

    target = tmp_path / "down"
    target.mkdir()
    run = ferry.run("copy", f"s3://{BUCKET}/stored/*", str(target), "--s3-endpoint", seaweed.endpoint, expect=1)
    assert "CRC-64" in run.stderr and "rotten.bin" in run.stderr, run.describe()
    assert sorted(p.name for p in target.iterdir()) == ["good.bin"], "nothing may be written in place of rotten.bin"
    assert (target / "good.bin").read_bytes() == good.read_bytes()

    # The same through Ferry's buffers, S3 to S3: no object is written in place of rotten.bin.
    run = ferry.run("copy", f"s3://{BUCKET}/stored/*", f"s3://{BUCKET}/copied/", "--s3-endpoint", seaweed.endpoint, expect=1)
    assert "CRC-64" in run.stderr and "rotten.bin" in run.stderr, run.describe()
    copied = client.list_objects_v2(Bucket=BUCKET, Prefix="copied/").get("Contents", [])
    assert [o["Key"] for o in copied] == ["copied/good.bin"], copied
