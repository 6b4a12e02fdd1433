"""Downloads of hostile remote names (Azure via the emulator, S3 via SeaweedFS), with `ferry copy`
and `ferry sync`: every good file arrives byte-identical (a U+FFFF name among them); each name
that cannot safely be a local path (`..`, `.`, absolute, empty segments, backslash, control
characters, a component over 255 bytes, a name that is both a file and a directory) is named on
one stderr line, printably, and counted as failed; the exit code is 1 (some files failed);
nothing is ever written outside the destination. Objects are put with Microsoft's SDK, boto3 and
raw HTTP, never with Ferry."""
from __future__ import annotations

import http.client
import os
import urllib.parse
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from ferry_live.blobs import account_sas, new_container
from ferry_live.ferry_cli import ferry_for
from ferry_live.seaweed import BUCKET

GOOD = {
    "top.bin": b"top level\n",
    "good/a.bin": b"a" * 1000,
    "good/deeper/b.bin": b"b" * 77,
    "odd\uffffname.bin": b"U+FFFF is a valid Linux file name character\n",
    "fd/b": b"the file that claims fd/b first\n",
}
BAD_COMMON = {
    "../escape.bin": "'..' component",
    "x/../../escape2.bin": "'..' component",
    "dot/./x.bin": "'.' component",
    "empty//seg.bin": "empty path component",
    "/abs.bin": "absolute",
    "back\\slash.bin": "backslash",
    "long/" + "L" * 300 + ".bin": "255-byte",
    "fd/b/c": "is a file",
}
BAD_S3_ONLY = {"ctl\x01name.bin": "control character", "nl\nname.bin": "control character"}


def printable(name: str) -> str:
    return "".join(f"\\u{{{ord(c):X}}}" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F else c for c in name)


def put_raw_blob(emulator, container: str, name: str, data: bytes) -> None:
    """Put Blob with the name's bytes percent-encoded one by one, so no client library can
    normalize `..` or `//` away before the request leaves."""
    path = "/".join(urllib.parse.quote(part, safe="") for part in name.split("/"))
    path = path.replace(".", "%2E")
    conn = http.client.HTTPConnection(emulator.host, emulator.port, timeout=30)
    try:
        conn.request("PUT", f"/{emulator.account}/{container}/{path}?{account_sas(emulator)}", body=data,
                     headers={"x-ms-blob-type": "BlockBlob", "x-ms-version": "2021-08-06"})
        response = conn.getresponse()
        response.read()
        assert response.status == 201, f"{name!a}: {response.status}"
    finally:
        conn.close()


def files_under(root: Path) -> dict[str, bytes]:
    found = {}
    for directory, _dirs, names in os.walk(root):
        for name in names:
            path = Path(directory) / name
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


def check_outcome(run, workspace: Path, destination: Path, good: dict[str, bytes], bad: dict[str, str]) -> None:
    assert run.returncode == 1, run.describe()
    assert files_under(destination) == good, run.describe()
    # Nothing outside the destination: the workspace holds only it (and Ferry's home).
    assert sorted(p.name for p in workspace.iterdir()) == sorted(["dest", "ferry-home"]), run.describe()
    assert not list(workspace.parent.glob("escape*")), "a file escaped the destination"
    lines = run.stderr.splitlines()
    for name, why in bad.items():
        naming = [line for line in lines if printable(name) in line]
        assert len(naming) == 1, f"{name!a}: expected one line naming it, got {naming}\n{run.describe()}"
        assert why in naming[0], naming[0]
    assert not any(ord(c) < 0x20 for c in run.stderr.replace("\n", "")), "raw control characters on stderr"
    assert f"{len(bad)} failed" in run.stdout, run.describe()


@pytest.mark.parametrize("command", ["copy", "sync"])
def test_azure_download_refuses_each_bad_name_and_keeps_the_rest(emulator, tmp_path, command):
    container = new_container(emulator)
    for name, data in GOOD.items():
        container.upload_blob(name, data)
    for name in BAD_COMMON:
        put_raw_blob(emulator, container.container_name, name, b"must not land anywhere\n")
    listed = {b.name for b in container.list_blobs()}
    assert listed == set(GOOD) | set(BAD_COMMON), sorted(listed ^ (set(GOOD) | set(BAD_COMMON)))

    workspace = tmp_path / "work"
    destination = workspace / "dest"
    destination.mkdir(parents=True)
    ferry = ferry_for(workspace, emulator)
    source = f"{emulator.url}/{container.container_name}"
    args = ["copy", source + "/*", str(destination), "--recursive"] if command == "copy" else ["sync", source, str(destination)]
    run = ferry.run(*args, expect=None)
    check_outcome(run, workspace, destination, GOOD, BAD_COMMON)

    json_run = ferry.run(*args, "--output-type", "json", expect=1)
    failed = {e["path"]: e["code"] for e in json_run.events if e.get("type") == "fileFailed"}
    assert failed == {name: "unsafeName" for name in BAD_COMMON}, json_run.describe()
    assert json_run.event("end")["filesFailed"] == len(BAD_COMMON), json_run.describe()


# SeaweedFS refuses some keys itself (400 InvalidRequest for `..` and `.` segments,
# KeyTooLongError for a 304-byte segment) and normalizes others on the way in (`/abs.bin` →
# `abs.bin`, `back\\slash.bin` → `back/slash.bin`, `empty//seg.bin` → `empty/seg.bin`), so over S3
# the hostile names left to refuse are control characters and the file-vs-directory pair.
SEAWEED_REFUSES = {"../escape.bin", "x/../../escape2.bin", "dot/./x.bin", "long/" + "L" * 300 + ".bin"}
SEAWEED_NORMALIZES = {"/abs.bin": "abs.bin", "back\\slash.bin": "back/slash.bin", "empty//seg.bin": "empty/seg.bin"}


@pytest.mark.parametrize("command", ["copy", "sync"])
def test_s3_download_refuses_each_bad_name_and_keeps_the_rest(seaweed, tmp_path, command):
    client = seaweed.client()
    bad = {**BAD_COMMON, **BAD_S3_ONLY}
    bodies = {**GOOD, **{name: f"hostile {name!a}\n".encode() for name in bad}}
    refused = set()
    for name, data in bodies.items():
        try:
            client.put_object(Bucket=BUCKET, Key=name, Body=data)
        except ClientError:
            refused.add(name)
    assert refused == SEAWEED_REFUSES
    stored = set()
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        stored.update(item["Key"] for item in page.get("Contents", []))
    normalized = {SEAWEED_NORMALIZES[n]: bodies[n] for n in SEAWEED_NORMALIZES}
    assert stored == set(GOOD) | set(BAD_S3_ONLY) | {"fd/b/c"} | set(normalized)

    workspace = tmp_path / "work"
    destination = workspace / "dest"
    destination.mkdir(parents=True)
    ferry = ferry_for(workspace, env=seaweed.env)
    source = f"s3://{BUCKET}"
    args = (["copy", source + "/*", str(destination), "--recursive"] if command == "copy"
            else ["sync", source, str(destination)])
    run = ferry.run(*args, "--s3-endpoint", seaweed.endpoint, expect=None)
    # SeaweedFS need not list `fd/b` before `fd/b/c`: whichever comes first arrives, the other is refused.
    arrived = files_under(destination)
    pair = {"fd/b": GOOD["fd/b"], "fd/b/c": bodies["fd/b/c"]}
    first = [n for n in pair if n in arrived]
    assert len(first) == 1, run.describe()
    other = ({"fd/b", "fd/b/c"} - set(first)).pop()
    good = {**{n: d for n, d in GOOD.items() if n != "fd/b"}, **normalized, first[0]: pair[first[0]]}
    check_outcome(run, workspace, destination, good,
                  {**BAD_S3_ONLY, other: "file" if other == "fd/b/c" else "directory"})


def test_refused_names_stay_refused_when_the_job_is_resumed(emulator, tmp_path):
    container = new_container(emulator)
    for name, data in GOOD.items():
        container.upload_blob(name, data)
    for name in ["../escape.bin", "back\\slash.bin", "fd/b/c"]:
        put_raw_blob(emulator, container.container_name, name, b"must not land anywhere\n")
    workspace = tmp_path / "work"
    destination = workspace / "dest"
    destination.mkdir(parents=True)
    ferry = ferry_for(workspace, emulator)
    first = ferry.run("copy", f"{emulator.url}/{container.container_name}/*", str(destination), "-r",
                      "--output-type", "json", expect=1)
    resumed = ferry.run("jobs", "resume", first.job_id, "--output-type", "json", expect=1)
    failed = sorted(e["path"] for e in resumed.events if e.get("type") == "fileFailed")
    assert failed == sorted(["../escape.bin", "back\\slash.bin", "fd/b/c"]), resumed.describe()
    assert files_under(destination) == GOOD
    assert sorted(p.name for p in workspace.iterdir()) == ["dest", "ferry-home"]
