"""`ferry` signs in with Microsoft Entra ID against ferry-emulator's own issuer over TLS, as an
enterprise user does: a service principal with a client secret or a certificate, a workload
identity, a managed identity (App Service protocol and the metadata service) and the Azure CLI.
Roles are the emulator's RBAC (Reader / Contributor at account or container scope). What landed
is read back with Microsoft's SDK; no secret, token or identity header appears in any output or
in FERRY_HOME."""
from __future__ import annotations

import base64
import os
import subprocess

import pytest
from azure.storage.blob import BlobServiceClient

from ferry_live.emulator import DEV_KEY
from ferry_live.entra import CONTRIBUTOR, READER, EntraEmulator, principal
from ferry_live.ferry_cli import Ferry, files_containing

ISSUER = "https://oidc.ferry.test/cluster-1"
SUBJECT = "system:serviceaccount:ml:trainer"
HEADER = "identity-header-" + base64.urlsafe_b64encode(os.urandom(9)).decode()
SECRET = "secret-" + base64.urlsafe_b64encode(os.urandom(12)).decode()
SHORT_SECRET = "short-" + base64.urlsafe_b64encode(os.urandom(12)).decode()


@pytest.fixture
def entra(tmp_path, start_emulator):
    keys = tmp_path / "client-cert"
    keys.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(keys / "key.pem"),
                    "-out", str(keys / "cert.pem"), "-days", "2", "-subj", "/CN=ferry-principal"],
                   check=True, capture_output=True)
    (keys / "combined.pem").write_bytes((keys / "cert.pem").read_bytes() + (keys / "key.pem").read_bytes())
    started = EntraEmulator.start(tmp_path, start_emulator, [
        principal("secret-writer", [(CONTRIBUTOR, "account")], clientSecret=SECRET),
        principal("cert-writer", [(CONTRIBUTOR, "container/datasets")], certificate=str(keys / "cert.pem")),
        principal("trainer", [(READER, "account")], federatedCredentials=[{"issuer": ISSUER, "subject": SUBJECT}]),
        principal("vm", [(CONTRIBUTOR, "account")], managedIdentity=True),
        principal("short", [(CONTRIBUTOR, "account")], clientSecret=SHORT_SECRET, tokenLifetimeSeconds=4),
    ], clock_skew_seconds=0, identity_header=HEADER)
    started.client_pem = str(keys / "combined.pem")
    seed = service(started)
    seed.create_container("datasets").upload_blob("existing.bin", b"existing datasets")
    seed.create_container("other")
    return started


def service(entra: EntraEmulator) -> BlobServiceClient:
    """Microsoft's SDK with the account key: the independent reader of what landed."""
    return BlobServiceClient(entra.account_url, connection_verify=entra.ca_file,
                             credential={"account_name": entra.emulator.account, "account_key": DEV_KEY})


def blob_bytes(entra: EntraEmulator, container: str, name: str) -> bytes:
    return service(entra).get_blob_client(container, name).download_blob().readall()


def authority_env(entra: EntraEmulator, name: str) -> dict[str, str]:
    return {"AZURE_AUTHORITY_HOST": f"https://{entra.authority}", "AZURE_TENANT_ID": entra.tenant,
            "AZURE_CLIENT_ID": entra.principals[name]["clientId"], "SSL_CERT_FILE": entra.ca_file}


def assert_no_secrets(runs, *homes) -> None:
    for run in runs:
        for secret in (SECRET, SHORT_SECRET, HEADER):
            assert secret not in run.stdout + run.stderr, f"a secret reached the output of {run.describe()}"
    for home in homes:
        assert files_containing(home, [SECRET, SHORT_SECRET, HEADER]) == []


def test_service_principal_secret_and_certificate(entra, tmp_path):
    data = os.urandom(3 << 20)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.bin").write_bytes(data)
    url = f"{entra.account_url}/datasets"
    secret = Ferry(tmp_path / "home-secret", authority_env(entra, "secret-writer") | {"AZURE_CLIENT_SECRET": SECRET})
    runs = [secret.run("copy", str(tmp_path / "src"), f"{url}/by-secret", "-r", "--block-size-mb", "1")]
    assert blob_bytes(entra, "datasets", "by-secret/src/a.bin") == data
    status = secret.run("login", "status", url)
    runs.append(status)
    assert entra.principals["secret-writer"]["objectId"] in status.stdout, status.stdout

    cert = Ferry(tmp_path / "home-cert", authority_env(entra, "cert-writer")
                 | {"AZURE_CLIENT_CERTIFICATE_PATH": entra.client_pem})
    runs.append(cert.run("copy", str(tmp_path / "src"), f"{url}/by-cert", "-r"))
    assert blob_bytes(entra, "datasets", "by-cert/src/a.bin") == data
    # Contributor on container `datasets` only: another container is refused, one line, exit 3.
    denied = cert.run("copy", str(tmp_path / "src"), f"{entra.account_url}/other/x", "-r", expect=3)
    runs.append(denied)
    assert "Storage Blob Data Contributor" in denied.stderr, denied.stderr
    assert list(service(entra).get_container_client("other").list_blobs()) == []

    wrong = Ferry(tmp_path / "home-wrong", authority_env(entra, "secret-writer") | {"AZURE_CLIENT_SECRET": "wrong"})
    refused = wrong.run("ls", url, expect=3)
    runs.append(refused)
    assert "AADSTS" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert_no_secrets(runs, tmp_path / "home-secret", tmp_path / "home-cert")


def test_workload_identity_reader_downloads_but_cannot_upload(entra, tmp_path):
    token_file = tmp_path / "federated-token"
    token_file.write_text(entra.federated_token(SUBJECT))
    ferry = Ferry(tmp_path / "home", authority_env(entra, "trainer") | {"AZURE_FEDERATED_TOKEN_FILE": str(token_file)})
    url = f"{entra.account_url}/datasets"
    ferry.run("copy", f"{url}/existing.bin", str(tmp_path / "down.bin"))
    assert (tmp_path / "down.bin").read_bytes() == b"existing datasets"
    (tmp_path / "up.bin").write_bytes(b"not allowed")
    refused = ferry.run("copy", str(tmp_path / "up.bin"), f"{url}/up.bin", expect=3)
    assert "Storage Blob Data Contributor" in refused.stderr, refused.stderr
    assert "up.bin" not in [b.name for b in service(entra).get_container_client("datasets").list_blobs()]


def test_managed_identity_both_protocols(entra, tmp_path):
    data = os.urandom(1 << 20)
    (tmp_path / "m.bin").write_bytes(data)
    url = f"{entra.account_url}/datasets"
    app_service = Ferry(tmp_path / "home-msi", {
        "IDENTITY_ENDPOINT": f"http://127.0.0.1:{entra.emulator.port}/msi/token", "IDENTITY_HEADER": HEADER,
        "SSL_CERT_FILE": entra.ca_file})
    runs = [app_service.run("copy", str(tmp_path / "m.bin"), f"{url}/managed.bin")]
    assert blob_bytes(entra, "datasets", "managed.bin") == data
    metadata = Ferry(tmp_path / "home-imds", {
        "AZURE_POD_IDENTITY_AUTHORITY_HOST": f"http://127.0.0.1:{entra.emulator.port}", "SSL_CERT_FILE": entra.ca_file})
    listing = metadata.run("ls", url, "-r")
    runs.append(listing)
    assert "managed.bin" in listing.stdout, listing.stdout
    assert_no_secrets(runs, tmp_path / "home-msi", tmp_path / "home-imds")


def test_tokens_shorter_than_the_job_are_refreshed(entra, tmp_path):
    data = os.urandom(8 << 20)
    (tmp_path / "big.bin").write_bytes(data)
    ferry = Ferry(tmp_path / "home", authority_env(entra, "short") | {"AZURE_CLIENT_SECRET": SHORT_SECRET})
    before = len([t for t in entra.issued_tokens() if t.get("clientId") == entra.principals["short"]["clientId"]])
    # 4 s tokens, a job of ~16 s (8 MiB at 4 Mb/s, one request at a time).
    run = ferry.run("copy", str(tmp_path / "big.bin"), f"{entra.account_url}/datasets/big.bin", "--block-size-mb", "1",
                    "--concurrency", "1", "--fixed-concurrency", "--cap-mbps", "4")
    issued = [t for t in entra.issued_tokens() if t.get("clientId") == entra.principals["short"]["clientId"]]
    assert len(issued) - before >= 3, f"expected refreshes during the job, the emulator issued {len(issued) - before}"
    assert blob_bytes(entra, "datasets", "big.bin") == data
    assert_no_secrets([run], tmp_path / "home")


def test_azure_cli_sign_in(entra, tmp_path):
    from ferry_live.azure_cli_stand_in import install_az
    install_az(tmp_path / "bin", entra.emulator.port, entra.principals["vm"]["clientId"])
    ferry = Ferry(tmp_path / "home", {"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin", "SSL_CERT_FILE": entra.ca_file})
    status = ferry.run("login", "status", f"{entra.account_url}/datasets", "--auth", "entra")
    assert "Azure CLI" in status.stdout and "Write: allowed" in status.stdout, status.stdout
    (tmp_path / "x.bin").write_bytes(b"signed in through az")
    ferry.run("copy", str(tmp_path / "x.bin"), f"{entra.account_url}/datasets/cli.bin", "--auth", "entra")
    assert blob_bytes(entra, "datasets", "cli.bin") == b"signed in through az"


@pytest.mark.parametrize("name, container, may_read, may_write", [
    ("secret-writer", "datasets", True, True),    # Contributor on the account
    ("cert-writer", "datasets", True, True),      # Contributor on `datasets` only…
    ("cert-writer", "other", False, False),       # …so nothing on `other`
    ("trainer", "datasets", True, False),         # Reader
    ("vm", "other", True, True),                  # managed identity, Contributor on the account
])
def test_microsofts_sdk_and_ferry_are_allowed_and_refused_alike(entra, tmp_path, monkeypatch, name, container,
                                                                may_read, may_write):
    """The same principals file, the same operations: azure-identity (client secret, certificate,
    workload identity, managed identity) + azure-storage-blob and Ferry get the same answers (the
    SDKs take lifetimes under 5 minutes as expired: 1 hour here)."""
    from azure.core.exceptions import HttpResponseError
    from azure.identity import (CertificateCredential, ClientSecretCredential, ManagedIdentityCredential,
                                WorkloadIdentityCredential)

    common = {"authority": entra.authority, "disable_instance_discovery": True, "connection_verify": entra.ca_file}
    client_id = entra.principals[name]["clientId"]
    env = authority_env(entra, name)
    if name == "secret-writer":
        credential = ClientSecretCredential(entra.tenant, client_id, SECRET, **common)
        env["AZURE_CLIENT_SECRET"] = SECRET
    elif name == "cert-writer":
        credential = CertificateCredential(entra.tenant, client_id, entra.client_pem, **common)
        env["AZURE_CLIENT_CERTIFICATE_PATH"] = entra.client_pem
    elif name == "vm":
        identity = {"IDENTITY_ENDPOINT": f"http://127.0.0.1:{entra.emulator.port}/msi/token", "IDENTITY_HEADER": HEADER}
        for key, value in identity.items():
            monkeypatch.setenv(key, value)  # azure-identity reads them from the environment
        credential = ManagedIdentityCredential()
        env = identity | {"SSL_CERT_FILE": entra.ca_file}
    else:
        token_file = tmp_path / "federated-token"
        token_file.write_text(entra.federated_token(SUBJECT))
        credential = WorkloadIdentityCredential(tenant_id=entra.tenant, client_id=client_id,
                                                token_file_path=str(token_file), **common)
        env["AZURE_FEDERATED_TOKEN_FILE"] = str(token_file)
    sdk = BlobServiceClient(entra.account_url, credential=credential, connection_verify=entra.ca_file)

    def sdk_allowed(action) -> bool:
        try:
            action()
            return True
        except HttpResponseError as error:
            assert error.status_code == 403 and error.error_code == "AuthorizationPermissionMismatch", error
            return False

    sdk_reads = sdk_allowed(lambda: list(sdk.get_container_client(container).list_blobs()))
    sdk_writes = sdk_allowed(lambda: sdk.get_blob_client(container, f"sdk-{name}.bin").upload_blob(b"sdk"))
    ferry = Ferry(tmp_path / "home", env)
    (tmp_path / "f.bin").write_bytes(b"ferry")
    ferry_reads = ferry.run("ls", f"{entra.account_url}/{container}", expect=None).returncode == 0
    written = ferry.run("copy", str(tmp_path / "f.bin"), f"{entra.account_url}/{container}/ferry-{name}.bin", expect=None)
    assert written.returncode in (0, 3), written.describe()
    assert (sdk_reads, sdk_writes) == (may_read, may_write)
    assert (ferry_reads, written.returncode == 0) == (sdk_reads, sdk_writes), written.describe()


def test_planted_secrets_reach_no_output_log_or_job_file(entra, tmp_path):
    """Client secret, the certificate's private key, the federated token, access tokens (every
    JWT starts `eyJ`) and the identity header, through every command (at --log-level debug where
    it has one)."""
    key_body = [line for line in (tmp_path / "client-cert" / "key.pem").read_text().splitlines()
                if line and not line.startswith("-----")]
    token_file = tmp_path / "federated-token"
    federated = entra.federated_token(SUBJECT)
    token_file.write_text(federated)
    planted = [SECRET, HEADER, federated, "eyJ", *key_body[1:4]]
    url = f"{entra.account_url}/datasets"
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.bin").write_bytes(os.urandom(300_000))
    debug = ["--log-level", "debug"]
    runs = []
    for env in (authority_env(entra, "secret-writer") | {"AZURE_CLIENT_SECRET": SECRET},
                authority_env(entra, "cert-writer") | {"AZURE_CLIENT_CERTIFICATE_PATH": entra.client_pem},
                {"IDENTITY_ENDPOINT": f"http://127.0.0.1:{entra.emulator.port}/msi/token", "IDENTITY_HEADER": HEADER,
                 "SSL_CERT_FILE": entra.ca_file}):
        ferry = Ferry(tmp_path / "home", env)
        runs.append(ferry.run("copy", str(src), f"{url}/planted", "-r", *debug))
        runs.append(ferry.run("sync", str(src), f"{url}/planted/src", *debug))
        runs.append(ferry.run("ls", url, "-r", *debug))
        runs.append(ferry.run("receipt", f"{url}/planted/src", "--output", str(tmp_path / "r.jsonl")))
        runs.append(ferry.run("verify", str(tmp_path / "r.jsonl"), f"{url}/planted/src", *debug))
        runs.append(ferry.run("rm", f"{url}/planted", "-r", "--dry-run", *debug))
        runs.append(ferry.run("login", "status", url))
        runs.append(ferry.run("login", "status", url, "--output-type", "json"))
        runs.append(ferry.run("jobs", "list", *debug))
    reader = Ferry(tmp_path / "home", authority_env(entra, "trainer") | {"AZURE_FEDERATED_TOKEN_FILE": str(token_file)})
    runs.append(reader.run("copy", str(src), f"{url}/refused", "-r", *debug, expect=3))
    for run in runs:
        for secret in planted:
            assert secret not in run.stdout + run.stderr, f"{secret[:8]}… reached {run.describe()}"
    assert files_containing(tmp_path / "home", planted) == []
