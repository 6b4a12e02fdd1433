"""Entra ID sign-in without a secret, proven with Microsoft's clients: workload identity (a
federated token file the emulator mints as the cluster's issuer), managed identity over the App
Service and IMDS protocols; and token lifetimes: an expired token gets Storage's 401 challenge,
which azure-storage-blob answers with a fresh token for the challenge's tenant."""
from __future__ import annotations

import http.client
import json
import ssl
import time
import urllib.parse

import pytest
from azure.core.credentials import AccessToken
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError
from azure.identity import (
    AzureCliCredential,
    CredentialUnavailableError,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
)
from azure.storage.blob import BlobServiceClient

from ferry_live.azure_cli_stand_in import install_az
from ferry_live.blobs import no_retry
from ferry_live.emulator import DEV_KEY
from ferry_live.entra import CONTRIBUTOR, READER, EntraEmulator, principal

STORAGE_SCOPE = "https://storage.azure.com/.default"
CLUSTER_ISSUER = "https://oidc.ferry.test/cluster-1"
SUBJECT = "system:serviceaccount:ml:trainer"
IDENTITY_HEADER = "local-identity-header-31"


@pytest.fixture(autouse=True)
def no_ambient_azure_identity(monkeypatch):
    """The credentials read AZURE_*, IDENTITY_* and MSI_* variables: a machine's own must not steer them."""
    import os
    for name in list(os.environ):
        if name.startswith(("AZURE_", "IDENTITY_", "MSI_", "IMDS_")):
            monkeypatch.delenv(name)


@pytest.fixture
def entra(tmp_path, start_emulator) -> EntraEmulator:
    started = EntraEmulator.start(tmp_path, start_emulator, [
        principal("trainer", [(READER, "account")],
                  federatedCredentials=[{"issuer": CLUSTER_ISSUER, "subject": SUBJECT}]),
        principal("vm-identity", [(READER, "account")], managedIdentity=True),
        principal("short-lived", [(CONTRIBUTOR, "account")], clientSecret="short-secret-77", tokenLifetimeSeconds=2),
    ], clock_skew_seconds=0, identity_header=IDENTITY_HEADER, extra_args=("--bearer-token", "static-token-for-old-clients"))
    seed = BlobServiceClient(started.account_url, credential={"account_name": started.emulator.account, "account_key": DEV_KEY},
                             connection_verify=started.ca_file, retry_policy=no_retry())
    seed.create_container("datasets").upload_blob("existing.bin", b"existing datasets")
    return started


def data_client(entra: EntraEmulator, credential) -> BlobServiceClient:
    return BlobServiceClient(entra.account_url, credential=credential, connection_verify=entra.ca_file,
                             retry_policy=no_retry())


def assert_reader(client: BlobServiceClient) -> None:
    container = client.get_container_client("datasets")
    assert [b.name for b in container.list_blobs()] == ["existing.bin"]
    assert container.download_blob("existing.bin").readall() == b"existing datasets"
    with pytest.raises(HttpResponseError) as denied:
        container.upload_blob("new.bin", b"new")
    assert (denied.value.status_code, denied.value.error_code) == (403, "AuthorizationPermissionMismatch")


def test_workload_identity_exchanges_a_federated_token(entra, tmp_path):
    token_file = tmp_path / "federated-token"
    token_file.write_text(entra.federated_token(SUBJECT))
    credential = WorkloadIdentityCredential(tenant_id=entra.tenant, client_id=entra.principals["trainer"]["clientId"],
                                            token_file_path=str(token_file), authority=entra.authority,
                                            connection_verify=entra.ca_file)
    assert_reader(data_client(entra, credential))
    assert [t["flow"] for t in entra.issued_tokens()] == ["federated"]
    other_subject = tmp_path / "other-token"
    other_subject.write_text(entra.federated_token("system:serviceaccount:ml:intruder", issuer=CLUSTER_ISSUER))
    intruder = WorkloadIdentityCredential(tenant_id=entra.tenant, client_id=entra.principals["trainer"]["clientId"],
                                          token_file_path=str(other_subject), authority=entra.authority,
                                          connection_verify=entra.ca_file)
    with pytest.raises(ClientAuthenticationError) as refused:
        intruder.get_token(STORAGE_SCOPE)
    assert "AADSTS70021" in str(refused.value)


def test_managed_identity_over_the_app_service_protocol(entra, monkeypatch):
    monkeypatch.setenv("IDENTITY_ENDPOINT", f"http://127.0.0.1:{entra.emulator.port}/msi/token")
    monkeypatch.setenv("IDENTITY_HEADER", IDENTITY_HEADER)
    assert_reader(data_client(entra, ManagedIdentityCredential()))
    assert [t["flow"] for t in entra.issued_tokens()] == ["managed_identity_app_service"]
    monkeypatch.setenv("IDENTITY_HEADER", "not-the-header")
    with pytest.raises((CredentialUnavailableError, ClientAuthenticationError)):
        ManagedIdentityCredential().get_token(STORAGE_SCOPE)


def test_managed_identity_over_the_instance_metadata_protocol(entra, monkeypatch):
    for name in ("IDENTITY_ENDPOINT", "IDENTITY_HEADER", "MSI_ENDPOINT", "MSI_SECRET", "AZURE_FEDERATED_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AZURE_POD_IDENTITY_AUTHORITY_HOST", f"http://127.0.0.1:{entra.emulator.port}")
    assert_reader(data_client(entra, ManagedIdentityCredential()))
    assert [t["flow"] for t in entra.issued_tokens()] == ["managed_identity_imds"]


def test_azure_cli_credential_with_a_stand_in_az(entra, tmp_path, monkeypatch):
    install_az(tmp_path / "bin", entra.emulator.port, entra.principals["vm-identity"]["clientId"])
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    credential = AzureCliCredential()
    assert credential.get_token(STORAGE_SCOPE).expires_on > time.time() + 3000
    assert_reader(data_client(entra, credential))
    flows = [t["flow"] for t in entra.issued_tokens()]
    assert flows and set(flows) == {"admin"}   # AzureCliCredential keeps no cache: it runs `az` per token


def raw_token(entra: EntraEmulator, name: str, secret: str) -> dict:
    """A token straight from the token endpoint (the SDKs refuse lifetimes under 5 minutes)."""
    context = ssl.create_default_context(cafile=entra.ca_file)
    connection = http.client.HTTPSConnection(entra.emulator.host, entra.emulator.port, context=context, timeout=10)
    form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": entra.principals[name]["clientId"],
                                   "client_secret": secret, "scope": STORAGE_SCOPE})
    connection.request("POST", f"/{entra.tenant}/oauth2/v2.0/token", body=form,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    assert response.status == 200, body
    return body


def get_blob(entra: EntraEmulator, token: str) -> http.client.HTTPResponse:
    context = ssl.create_default_context(cafile=entra.ca_file)
    connection = http.client.HTTPSConnection(entra.emulator.host, entra.emulator.port, context=context, timeout=10)
    connection.request("GET", f"/{entra.emulator.account}/datasets/existing.bin",
                       headers={"Authorization": f"Bearer {token}", "x-ms-version": "2025-01-05"})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_an_expired_token_gets_the_challenge_and_the_sdk_asks_again(entra):
    body = raw_token(entra, "short-lived", "short-secret-77")
    assert body["expires_in"] == 2 and body["token_type"] == "Bearer"
    assert get_blob(entra, body["access_token"]).status == 200
    time.sleep(3.2)
    expired = get_blob(entra, body["access_token"])
    assert expired.status == 401
    assert expired.getheader("x-ms-error-code") == "InvalidAuthenticationInfo"
    assert expired.getheader("WWW-Authenticate") == (
        f"Bearer authorization_uri=https://127.0.0.1:{entra.emulator.port}/{entra.tenant}/oauth2/authorize "
        "resource_id=https://storage.azure.com")
    assert b"The token is expired" in expired.body and body["access_token"].encode() not in expired.body
    assert get_blob(entra, body["access_token"] + "x").status == 401   # a bad signature: same answer

    class RefreshingCredential:
        """Hands out the expired token first, then a fresh one: what a credential with a stale cache does."""
        def __init__(self):
            self.calls: list[dict] = []

        def get_token(self, *scopes, **kwargs):
            self.calls.append(kwargs)
            token = body["access_token"] if len(self.calls) == 1 else raw_token(entra, "short-lived", "short-secret-77")["access_token"]
            return AccessToken(token, int(time.time()) + 3600)

    credential = RefreshingCredential()
    container = data_client(entra, credential).get_container_client("datasets")
    assert container.download_blob("existing.bin").readall() == b"existing datasets"
    assert len(credential.calls) == 2 and credential.calls[1].get("tenant_id") == entra.tenant


def test_the_static_bearer_token_keeps_working_beside_entra(entra):
    assert get_blob(entra, "static-token-for-old-clients").status == 200


def test_admin_tokens_can_be_expired_or_not_yet_valid(entra):
    client_id = entra.principals["vm-identity"]["clientId"]
    for shift, detail in ((-7200, b"The token is expired"), (7200, b"not yet valid"), (0, None)):
        status, body = entra.emulator.admin("POST", "access-token", {"clientId": client_id, "lifetimeSeconds": 600,
                                                                     "validFromSeconds": shift})
        assert status == 200 and body["tokenType"] == "Bearer" and body["tenant"] == entra.tenant
        answer = get_blob(entra, body["accessToken"])
        if detail is None:
            assert answer.status == 200
        else:
            assert answer.status == 401 and detail in answer.body
