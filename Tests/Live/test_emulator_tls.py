"""TLS: `ferry-emulator --tls-cert --tls-key` serves https on its port (and plain http beside it),
with a certificate from a throwaway CA; Microsoft's SDK with a Shared Key trusts that CA only."""
from __future__ import annotations

import http.client
import ssl

import pytest
from azure.core.exceptions import ServiceRequestError
from azure.storage.blob import BlobServiceClient

from ferry_live.blobs import no_retry, unique_name
from ferry_live.emulator import DEV_KEY
from ferry_live.tls import TestCA


@pytest.fixture
def tls_emulator(tmp_path, start_emulator):
    ca = TestCA(tmp_path / "pki")
    server = ca.server_certificate()
    emulator = start_emulator("--tls-cert", str(server.cert), "--tls-key", str(server.key))
    return emulator, ca


def test_shared_key_over_https_uploads_and_downloads(tls_emulator):
    emulator, ca = tls_emulator
    assert emulator.url.startswith("https://127.0.0.1:")
    client = BlobServiceClient(emulator.url, credential={"account_name": emulator.account, "account_key": DEV_KEY},
                               connection_verify=str(ca.cert), retry_policy=no_retry(),
                               max_single_put_size=1 << 20, max_block_size=1 << 20)
    container = client.create_container(unique_name())
    payload = bytes(range(256)) * 20_000   # 5 MB: several TLS records, and above the SDK's single-put size
    container.upload_blob("dir/data.bin", payload)
    assert container.download_blob("dir/data.bin").readall() == payload
    assert container.download_blob("dir/data.bin", offset=1000, length=5000).readall() == payload[1000:6000]
    assert [b.name for b in container.list_blobs()] == ["dir/data.bin"]


def test_the_certificate_is_checked_and_plain_http_still_answers(tls_emulator, tmp_path):
    emulator, ca = tls_emulator
    other_ca = TestCA(tmp_path / "other-pki")
    stranger = BlobServiceClient(emulator.url, credential={"account_name": emulator.account, "account_key": DEV_KEY},
                                 connection_verify=str(other_ca.cert), retry_policy=no_retry())
    with pytest.raises(ServiceRequestError):
        stranger.get_account_information()
    # Python's ssl module, trusting the right CA, checks the IP SAN.
    context = ssl.create_default_context(cafile=str(ca.cert))
    connection = http.client.HTTPSConnection(emulator.host, emulator.port, context=context, timeout=10)
    connection.request("GET", "/__ferry/health")
    assert connection.getresponse().read() == b"ok"
    connection.close()
    status, body = emulator.admin("GET", "health")   # plain http on the same port
    assert (status, body) == (200, "ok")


def test_start_up_mistakes_are_one_line_errors(tmp_path, start_emulator):
    import subprocess
    from ferry_live.emulator import emulator_binary
    lonely = subprocess.run([emulator_binary(), "--port", "0", "--tls-cert", "x.pem"], capture_output=True, text=True,
                            timeout=30)
    assert lonely.returncode == 64 and "--tls-cert and --tls-key go together" in lonely.stderr
    missing = subprocess.run([emulator_binary(), "--port", "0", "--location", str(tmp_path / "loc"),
                              "--tls-cert", str(tmp_path / "none.pem"), "--tls-key", str(tmp_path / "none.pem")],
                             capture_output=True, text=True, timeout=30)
    assert missing.returncode == 1 and "cannot use the TLS certificate or key" in missing.stderr
    principals = tmp_path / "principals.json"
    principals.write_text('{"tenantId": "t1", "principals": [{"clientId": "c", "objectId": "o", '
                          '"clientSecret": "hush-hush-1", "roles": [{"role": "Storage Blob Data Writer"}]}]}')
    bad_role = subprocess.run([emulator_binary(), "--port", "0", "--location", str(tmp_path / "loc"),
                               "--principals", str(principals)], capture_output=True, text=True, timeout=30)
    assert bad_role.returncode == 1 and "principals[0].roles: role must be one of" in bad_role.stderr
    assert "hush-hush-1" not in bad_role.stderr
