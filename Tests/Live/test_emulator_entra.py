"""Entra ID + Azure RBAC in the emulator, proven with Microsoft's clients (azure-identity for the
sign-in, azure-storage-blob over https for the data): service principals with a secret or a
certificate; roles at account and container scope; refusals as Entra and Storage word them."""
from __future__ import annotations

import pytest
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError
from azure.identity import CertificateCredential, ClientSecretCredential
from azure.storage.blob import BlobServiceClient

from ferry_live.blobs import no_retry
from ferry_live.emulator import DEV_KEY
from ferry_live.entra import CONTRIBUTOR, READER, EntraEmulator, principal

STORAGE_SCOPE = "https://storage.azure.com/.default"


@pytest.fixture
def entra(tmp_path, start_emulator) -> EntraEmulator:
    ca_dir = tmp_path / "pki"
    principals = [
        principal("reader", [(READER, "account")], clientSecret="reader-secret-4711"),
        principal("models-writer", [(CONTRIBUTOR, "container/models"), (READER, "account")],
                  clientSecret="writer-secret-0815"),
        principal("no-roles", [], clientSecret="no-roles-secret-1"),
    ]
    started = EntraEmulator.start(tmp_path, start_emulator, principals)
    assert started.ca.directory == ca_dir
    seed = key_client(started)
    for name in ("models", "datasets"):
        seed.create_container(name).upload_blob("existing.bin", b"existing " + name.encode())
    return started


def key_client(entra: EntraEmulator) -> BlobServiceClient:
    return BlobServiceClient(entra.account_url, credential={"account_name": entra.emulator.account, "account_key": DEV_KEY},
                             connection_verify=entra.ca_file, retry_policy=no_retry())


def secret_credential(entra: EntraEmulator, name: str, secret: str | None = None) -> ClientSecretCredential:
    entry = entra.principals[name]
    return ClientSecretCredential(entra.tenant, entry["clientId"], secret or entry["clientSecret"],
                                  authority=entra.authority, disable_instance_discovery=True,
                                  connection_verify=entra.ca_file)


def data_client(entra: EntraEmulator, credential) -> BlobServiceClient:
    return BlobServiceClient(entra.account_url, credential=credential, connection_verify=entra.ca_file,
                             retry_policy=no_retry())


def assert_reader(client: BlobServiceClient) -> None:
    """Lists and downloads, but its upload gets 403 AuthorizationPermissionMismatch."""
    assert {c.name for c in client.list_containers()} == {"models", "datasets"}
    container = client.get_container_client("datasets")
    assert [b.name for b in container.list_blobs()] == ["existing.bin"]
    assert container.download_blob("existing.bin").readall() == b"existing datasets"
    with pytest.raises(HttpResponseError) as denied:
        container.upload_blob("new.bin", b"new")
    assert (denied.value.status_code, denied.value.error_code) == (403, "AuthorizationPermissionMismatch")
    with pytest.raises(HttpResponseError) as denied_delete:
        container.delete_blob("existing.bin")
    assert (denied_delete.value.status_code, denied_delete.value.error_code) == (403, "AuthorizationPermissionMismatch")


def test_client_secret_reader_reads_and_lists_but_cannot_write(entra):
    credential = secret_credential(entra, "reader")
    token = credential.get_token(STORAGE_SCOPE)
    assert token.token.count(".") == 2 and token.expires_on > 0
    assert_reader(data_client(entra, credential))
    issued = [t for t in entra.issued_tokens() if t["displayName"] == "reader"]
    assert issued and issued[0]["flow"] == "client_secret"
    log = entra.emulator.stderr_path.read_text()
    assert "issued a token to reader" in log
    assert token.token not in log and "reader-secret-4711" not in log


def test_container_scoped_contributor_writes_its_container_only(entra):
    client = data_client(entra, secret_credential(entra, "models-writer"))
    models = client.get_container_client("models")
    models.upload_blob("checkpoint.bin", b"weights" * 1000)
    assert models.download_blob("checkpoint.bin").readall() == b"weights" * 1000
    models.delete_blob("checkpoint.bin")
    datasets = client.get_container_client("datasets")
    assert datasets.download_blob("existing.bin").readall() == b"existing datasets"  # Reader on the account
    with pytest.raises(HttpResponseError) as denied:
        datasets.upload_blob("checkpoint.bin", b"weights")
    assert (denied.value.status_code, denied.value.error_code) == (403, "AuthorizationPermissionMismatch")
    with pytest.raises(HttpResponseError) as denied_create:
        client.create_container("scratch")
    assert denied_create.value.status_code == 403


def test_a_principal_without_roles_is_refused_everything(entra):
    client = data_client(entra, secret_credential(entra, "no-roles"))
    with pytest.raises(HttpResponseError) as denied:
        client.get_container_client("models").download_blob("existing.bin").readall()
    assert (denied.value.status_code, denied.value.error_code) == (403, "AuthorizationPermissionMismatch")


def test_wrong_secret_and_unknown_client_are_refused(entra):
    with pytest.raises(ClientAuthenticationError) as wrong:
        secret_credential(entra, "reader", secret="not-the-secret-9").get_token(STORAGE_SCOPE)
    assert "AADSTS7000215" in str(wrong.value) and "not-the-secret-9" not in str(wrong.value)
    stranger = ClientSecretCredential(entra.tenant, "00000000-1111-2222-3333-444444444444", "whatever-secret",
                                      authority=entra.authority, disable_instance_discovery=True,
                                      connection_verify=entra.ca_file)
    with pytest.raises(ClientAuthenticationError) as unknown:
        stranger.get_token(STORAGE_SCOPE)
    assert "AADSTS700016" in str(unknown.value)
    wrong_tenant = ClientSecretCredential("11111111-0000-0000-0000-000000000000", entra.principals["reader"]["clientId"],
                                          "reader-secret-4711", authority=entra.authority,
                                          disable_instance_discovery=True, connection_verify=entra.ca_file)
    with pytest.raises(Exception) as no_tenant:   # MSAL: "Unable to get authority configuration"
        wrong_tenant.get_token(STORAGE_SCOPE)
    assert "authority" in str(no_tenant.value).lower() or "AADSTS90002" in str(no_tenant.value)


def test_certificate_credential_signs_in_and_an_unregistered_certificate_is_refused(tmp_path, start_emulator):
    from ferry_live.tls import TestCA
    certificates = TestCA(tmp_path / "client-pki")
    registered = certificates.client_certificate("trainer")
    stranger = certificates.client_certificate("stranger")
    entra = EntraEmulator.start(tmp_path, start_emulator,
                                [principal("trainer", [(READER, "account")], certificate=str(registered.cert))])
    key_client(entra).create_container("datasets").upload_blob("existing.bin", b"existing datasets")
    client_id = entra.principals["trainer"]["clientId"]
    credential = CertificateCredential(entra.tenant, client_id, str(registered.combined), authority=entra.authority,
                                       disable_instance_discovery=True, connection_verify=entra.ca_file)
    container = data_client(entra, credential).get_container_client("datasets")
    assert container.download_blob("existing.bin").readall() == b"existing datasets"
    with pytest.raises(HttpResponseError) as denied:
        container.upload_blob("new.bin", b"new")
    assert denied.value.error_code == "AuthorizationPermissionMismatch"
    assert [t["flow"] for t in entra.issued_tokens()] == ["certificate"]
    impostor = CertificateCredential(entra.tenant, client_id, str(stranger.combined), authority=entra.authority,
                                     disable_instance_discovery=True, connection_verify=entra.ca_file)
    with pytest.raises(ClientAuthenticationError) as refused:
        impostor.get_token(STORAGE_SCOPE)
    assert "AADSTS700027" in str(refused.value)


def test_roles_changed_at_run_time_apply_to_tokens_already_issued(entra):
    credential = secret_credential(entra, "reader")
    datasets = data_client(entra, credential).get_container_client("datasets")
    with pytest.raises(HttpResponseError):
        datasets.upload_blob("promoted.bin", b"x")
    status, body = entra.emulator.admin("GET", "principals")
    assert status == 200 and "reader-secret-4711" not in str(body)
    document = {"tenantId": entra.tenant, "principals": list(entra.principals.values())}
    document["principals"][0] = dict(document["principals"][0], roles=[{"role": CONTRIBUTOR, "scope": "container/datasets"}])
    status, body = entra.emulator.admin("PUT", "principals", document)
    assert status == 200, body
    datasets.upload_blob("promoted.bin", b"x")   # the same cached token, a new role
    assert len([t for t in entra.issued_tokens() if t["displayName"] == "reader"]) == 1
