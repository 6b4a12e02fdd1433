"""Ferry signs in with a managed identity (App Service protocol: IDENTITY_ENDPOINT +
IDENTITY_HEADER) and copies with the token, against the emulator started with that token
(`--bearer-token`). Also: `ferry login status` names the principal from the token and what it
may do; a token lifetime shorter than the job makes Ferry sign in again; a wrong identity header
or a token the service refuses exits 3 with one line; bearer tokens never go over plain http to
another machine; the identity header and the token appear in no output and no file under
FERRY_HOME. The Entra ID issuer, TLS and RBAC flows need the emulator's Entra half (issue #11).
"""
from __future__ import annotations

import base64
import os
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from ferry_live.blobs import container_sas, new_container
from ferry_live.ferry_cli import Ferry, files_containing, kill9_when, only_job_id
from ferry_live.files import write_random_file
from ferry_live.identity_endpoint import IdentityEndpoint, make_token

MiB = 1 << 20
IDENTITY_HEADER = "identity-header-" + base64.urlsafe_b64encode(os.urandom(18)).decode().rstrip("=")


@pytest.fixture
def token() -> str:
    return make_token()


@pytest.fixture
def identity(token):
    endpoint = IdentityEndpoint(token, IDENTITY_HEADER).start()
    yield endpoint
    endpoint.stop()


@pytest.fixture
def bearer_emulator(start_emulator, token):
    return start_emulator("--bearer-token", token)


def container_url(emulator, name: str) -> str:
    return f"{emulator.url}/{name}"


def test_copy_up_and_down_with_a_managed_identity(tmp_path, bearer_emulator, identity, token):
    name = new_container(bearer_emulator, "mi-data").container_name
    source = tmp_path / "dataset"
    write_random_file(source / "big.bin", 5 * MiB + 3, 71)
    write_random_file(source / "small.txt", 999, 72)
    ferry = Ferry(tmp_path / "home", identity.environment())
    outputs = [ferry.run("copy", str(source), container_url(bearer_emulator, name), "-r", "--block-size-mb", "1")]
    outputs.append(ferry.run("copy", container_url(bearer_emulator, name) + "/dataset", str(tmp_path / "back"), "-r"))
    for file_name in ("big.bin", "small.txt"):
        assert (tmp_path / "back" / "dataset" / file_name).read_bytes() == (source / file_name).read_bytes()
    assert identity.issued >= 1

    status = ferry.run("login", "status", container_url(bearer_emulator, name))
    outputs.append(status)
    assert "managed identity (IDENTITY_ENDPOINT)" in status.stdout
    assert "Tenant: tenant-live" in status.stdout
    assert "Client ID: mi-client-live" in status.stdout
    assert "Object ID: mi-object-live" in status.stdout
    for operation in ("List", "Read", "Write", "Delete"):
        assert f"{operation}: allowed" in status.stdout, status.describe()
    json_status = ferry.run("login", "status", container_url(bearer_emulator, name), "--output-type", "json")
    outputs.append(json_status)
    event = json_status.event("loginStatus")
    assert event["objectID"] == "mi-object-live" and event["access"]["write"]["result"] == "allowed"

    for run in outputs:
        assert token not in run.stdout + run.stderr and IDENTITY_HEADER not in run.stdout + run.stderr
    assert files_containing(tmp_path / "home", [token, IDENTITY_HEADER, token.split(".")[2]]) == []


def test_a_token_shorter_lived_than_the_job_is_renewed(tmp_path, start_emulator, token):
    emulator = start_emulator("--bearer-token", token)
    identity = IdentityEndpoint(token, IDENTITY_HEADER, lifetime_seconds=4).start()
    try:
        name = new_container(emulator, "short-lived").container_name
        write_random_file(tmp_path / "slow.bin", 6 * MiB, 73)
        ferry = Ferry(tmp_path / "home", identity.environment())
        # One block at a time at 4 Mb/s: about 12 s of requests, three token lifetimes.
        ferry.run("copy", str(tmp_path / "slow.bin"), container_url(emulator, name) + "/slow.bin",
                  "--block-size-mb", "1", "--concurrency", "1", "--fixed-concurrency", "--cap-mbps", "4")
        # Refreshed at the latest at half-life (2 s): several sign-ins, none after a failure.
        assert identity.issued >= 3, identity.issued
        assert identity.refused == 0
    finally:
        identity.stop()


def test_a_wrong_identity_header_exits_3_with_one_line(tmp_path, bearer_emulator, identity, token):
    name = new_container(bearer_emulator, "mi-refused").container_name
    ferry = Ferry(tmp_path / "home", identity.environment(header="not-the-header"))
    run = ferry.run("ls", container_url(bearer_emulator, name), expect=3)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: signing in to Microsoft Entra ID"), run.describe()
    assert "IDENTITY_HEADER" in lines[0]
    assert "not-the-header" not in run.stderr and token not in run.stdout + run.stderr


def test_a_token_the_service_refuses_exits_3_with_one_line(tmp_path, bearer_emulator, token):
    other = IdentityEndpoint(make_token(object_id="someone-else"), IDENTITY_HEADER).start()
    try:
        name = new_container(bearer_emulator, "mi-wrong-token").container_name
        ferry = Ferry(tmp_path / "home", other.environment())
        write_random_file(tmp_path / "f.bin", 1000, 74)
        run = ferry.run("copy", str(tmp_path / "f.bin"), container_url(bearer_emulator, name) + "/f.bin", expect=3)
        lines = run.stderr.strip().splitlines()
        assert lines[-1].startswith("error: ") and "401" in lines[-1], run.describe()
        # Each refused request signs in once more, then gives up: the container creation (left to the
        # writes) and the one write, so three tokens, never a loop.
        assert other.issued == 3, other.issued
        status = ferry.run("login", "status", container_url(bearer_emulator, name), expect=3)
        assert "List: credential refused" in status.stdout
        assert other.token not in run.stdout + run.stderr + status.stdout + status.stderr
    finally:
        other.stop()


def test_bearer_tokens_never_go_over_plain_http_to_another_machine(tmp_path, identity, token):
    ferry = Ferry(tmp_path / "home", identity.environment())
    run = ferry.run("ls", "http://10.255.255.1:10000/devstoreaccount1/data", expect=64)
    assert "without TLS" in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert identity.issued == 0  # refused before signing in


def make_tls_certificate(directory: Path) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (IP SAN) and its key, made by the openssl tool."""
    cert, key = directory / "issuer-cert.pem", directory / "issuer-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return str(cert), str(key)


def test_instance_metadata_over_tls_trusted_through_ca_file_or_ssl_cert_file(tmp_path, bearer_emulator, token):
    cert, key = make_tls_certificate(tmp_path)
    metadata = IdentityEndpoint(token, IDENTITY_HEADER, tls=(cert, key)).start()
    try:
        name = new_container(bearer_emulator, "imds").container_name
        ferry = Ferry(tmp_path / "home", {"AZURE_POD_IDENTITY_AUTHORITY_HOST": metadata.host})
        url = container_url(bearer_emulator, name)
        # The issuer's certificate is not trusted: the sign-in fails on TLS, in one line.
        untrusted = ferry.run("ls", url, expect=None)
        assert untrusted.returncode != 0 and metadata.issued == 0, untrusted.describe()
        assert len(untrusted.stderr.strip().splitlines()) == 1
        ferry.run("ls", url, "--ca-file", cert)
        ferry.run("ls", url, env={"SSL_CERT_FILE": cert})
        assert metadata.issued == 2 and metadata.refused == 0
        status = ferry.run("login", "status", "--ca-file", cert)
        assert "AZURE_POD_IDENTITY_AUTHORITY_HOST" in status.stdout and "Object ID: mi-object-live" in status.stdout
    finally:
        metadata.stop()


def test_jobs_resume_signs_in_again_the_way_the_job_did(tmp_path, bearer_emulator, identity, token):
    """A job started with --auth entra is resumed with Entra ID again, though the environment also
    holds an account key (which the chain alone would pick, and the emulator refuses: it is wrong)."""
    name = new_container(bearer_emulator, "mi-resume").container_name
    write_random_file(tmp_path / "big.bin", 24 * MiB, 75)
    wrong_key = base64.b64encode(os.urandom(64)).decode()
    environment = identity.environment() | {"AZURE_STORAGE_ACCOUNT": bearer_emulator.account, "AZURE_STORAGE_KEY": wrong_key}
    ferry = Ferry(tmp_path / "home", environment)
    url = container_url(bearer_emulator, name) + "/big.bin"
    process = ferry.start("copy", str(tmp_path / "big.bin"), url, "--auth", "entra", "--block-size-mb", "1",
                          "--concurrency", "2", "--fixed-concurrency", "--cap-mbps", "40", "--output-type", "json")
    kill9_when(process, lambda: len(bearer_emulator.stats()["putBlocks"]) >= 6)
    job = only_job_id(ferry.home)
    issued_before = identity.issued
    resumed = ferry.run("jobs", "resume", job)
    assert identity.issued > issued_before  # signed in again, not with the key
    ferry.run("copy", url, str(tmp_path / "back.bin"), "--auth", "entra")
    assert (tmp_path / "back.bin").read_bytes() == (tmp_path / "big.bin").read_bytes()
    # Without --auth the chain takes the (wrong) key: exit 3, so the resume above used the record.
    refused = ferry.run("ls", container_url(bearer_emulator, name), expect=3)
    assert "403" in refused.stderr or "key" in refused.stderr
    for text in (resumed.stdout + resumed.stderr, refused.stdout + refused.stderr):
        assert token not in text and IDENTITY_HEADER not in text and wrong_key not in text
    assert files_containing(tmp_path / "home", [token, IDENTITY_HEADER, wrong_key]) == []


def test_login_status_probes_what_a_read_only_sas_may_do(tmp_path, emulator):
    """The probes change nothing and tell reads from writes: a read/list SAS may list and read,
    not write or delete (exit 0: the credential itself is accepted)."""
    container = new_container(emulator, "probe")
    container.upload_blob("kept.txt", b"unchanged")
    sas = container_sas(emulator, container.container_name, permission="rl")
    ferry = Ferry(tmp_path / "home", {})
    run = ferry.run("login", "status", f"{container_url(emulator, container.container_name)}?{sas}")
    assert "Credential: SAS token" in run.stdout
    for line in ("List: allowed", "Read: allowed", "Write: denied", "Delete: denied"):
        assert line in run.stdout, run.describe()
    assert sas_signature_of(sas) not in run.stdout + run.stderr
    assert [blob.name for blob in container.list_blobs()] == ["kept.txt"]  # nothing created or removed


def sas_signature_of(sas: str) -> str:
    return urllib.parse.parse_qs(sas)["sig"][0]
