"""S3 interop against SeaweedFS: what Ferry uploads, the AWS CLI (`aws s3 cp`) and boto3 download
byte-identical; what they upload (single PUT and multipart), Ferry downloads byte-identical; a
presigned URL (signed by boto3) works as a source. Ferry reads credentials from AWS_* variables
and reaches SeaweedFS with --s3-endpoint."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ferry_live.ferry_cli import ferry_for
from ferry_live.files import assert_trees_identical, file_sha256, tree_files, write_random_file
from ferry_live.seaweed import BUCKET

MiB = 1 << 20


def s3_ferry(tmp_path: Path, seaweed, name: str = "ferry-home"):
    return ferry_for(tmp_path, env=seaweed.env, name=name)


def endpoint_flags(seaweed) -> list[str]:
    return ["--s3-endpoint", seaweed.endpoint]


@pytest.fixture
def mixed_tree(tmp_path) -> Path:
    """One multipart file (3 × 5 MiB blocks + a tail), small files, an empty one, a unicode name."""
    root = tmp_path / "tree"
    write_random_file(root / "big.bin", 15 * MiB + 12_345, 1)
    write_random_file(root / "small/a.txt", 70_001, 2)
    write_random_file(root / "small/ünï cödé.bin", 4096, 3)
    write_random_file(root / "empty.bin", 0, 4)
    return root


def test_ferry_upload_is_read_back_identically_by_aws_cli_and_boto3(seaweed, mixed_tree, tmp_path):
    ferry = s3_ferry(tmp_path, seaweed)
    ferry.run("copy", str(mixed_tree), f"s3://{BUCKET}/up/", "--recursive", "--block-size-mb", "5",
              *endpoint_flags(seaweed))

    # AWS CLI: a recursive download of what Ferry wrote.
    by_aws = tmp_path / "by-aws"
    seaweed.aws("s3", "cp", f"s3://{BUCKET}/up/tree", str(by_aws), "--recursive")
    assert_trees_identical(mixed_tree, by_aws)

    # boto3: object by object, including the multipart one (its ETag says how many parts).
    client = seaweed.client()
    for name in tree_files(mixed_tree):
        body = client.get_object(Bucket=BUCKET, Key=f"up/tree/{name}")["Body"].read()
        assert hashlib.sha256(body).hexdigest() == file_sha256(mixed_tree / name), name
    head = client.head_object(Bucket=BUCKET, Key="up/tree/big.bin")
    assert head["ETag"].strip('"').endswith("-4"), f"big.bin should be a 4-part multipart object: {head['ETag']}"
    assert head["ContentType"] == "application/octet-stream"
    assert client.head_object(Bucket=BUCKET, Key="up/tree/small/a.txt")["ContentType"].startswith("text/plain")


@pytest.mark.parametrize("size", [3 * MiB + 7, 21 * MiB + 5], ids=["single-put", "multipart"])
def test_aws_cli_upload_is_downloaded_identically_by_ferry(seaweed, tmp_path, size):
    source = write_random_file(tmp_path / "src" / "object.bin", size, 10 + size % 97)
    # The AWS CLI goes multipart above 8 MiB by default (here 8 MiB parts: 3 parts).
    seaweed.aws("s3", "cp", str(source), f"s3://{BUCKET}/from-aws/object.bin")
    ferry = s3_ferry(tmp_path, seaweed)
    target = tmp_path / "down"
    target.mkdir()
    ferry.run("copy", f"s3://{BUCKET}/from-aws/object.bin", str(target), *endpoint_flags(seaweed))
    assert file_sha256(target / "object.bin") == file_sha256(source)


def test_boto3_multipart_tree_is_downloaded_identically_by_ferry(seaweed, tmp_path):
    from boto3.s3.transfer import TransferConfig
    tree = tmp_path / "tree"
    write_random_file(tree / "parts/large.bin", 17 * MiB + 3, 21)
    write_random_file(tree / "plain.bin", 100_000, 22)
    client = seaweed.client()
    config = TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB)
    for name in tree_files(tree):
        client.upload_file(str(tree / name), BUCKET, f"from-boto/tree/{name}", Config=config)
    assert client.head_object(Bucket=BUCKET, Key="from-boto/tree/parts/large.bin")["ETag"].strip('"').endswith("-4")

    ferry = s3_ferry(tmp_path, seaweed)
    target = tmp_path / "down"
    target.mkdir()
    ferry.run("copy", f"s3://{BUCKET}/from-boto/tree", str(target), "--recursive", *endpoint_flags(seaweed))
    assert_trees_identical(tree, target / "tree")


def test_presigned_url_is_a_read_only_source(seaweed, tmp_path):
    source = write_random_file(tmp_path / "src" / "shared.bin", 11 * MiB + 1, 31)
    client = seaweed.client()
    client.upload_file(str(source), BUCKET, "shared/shared.bin")
    url = client.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "shared/shared.bin"},
                                        ExpiresIn=600)
    assert "X-Amz-Signature=" in url
    signature = url.split("X-Amz-Signature=")[1].split("&")[0]

    ferry = ferry_for(tmp_path, env={})  # no AWS credentials: the URL is the grant
    target = tmp_path / "down"
    target.mkdir()
    run = ferry.run("copy", url, str(target), "--block-size-mb", "5", "--output-type", "json")
    assert file_sha256(target / "shared.bin") == file_sha256(source)
    assert signature not in run.stdout + run.stderr, "the presigned signature leaked into the output"

    refused = ferry.run("copy", str(source), url, expect=None)
    assert refused.returncode != 0, refused.describe()
    assert signature not in refused.stdout + refused.stderr
