"""Fidelity of the emulator's own surface (the contract, not Azure): command line, exit codes,
admin endpoint health and stats, bearer tokens, and no secrets in its debug log."""
from __future__ import annotations

import http.client
import socket
import subprocess

import base64

import pytest
from azure.core.exceptions import HttpResponseError

from ferry_live.blobs import account_sas, new_container, sas_container_client, service_client
from ferry_live.emulator import DEV_KEY, emulator_binary


WRONG_KEY = base64.b64encode(b"not the account key, 32+ bytes long").decode()


def run_emulator(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([emulator_binary(), *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def test_help_exits_0_and_names_the_flags():
    done = run_emulator("--help")
    assert done.returncode == 0
    for flag in ("--host", "--port", "--location", "--account", "--account-key", "--fault", "--fault-seed",
                 "--log-level", "--bearer-token"):
        assert flag in done.stdout, f"--help does not mention {flag}"


def test_unknown_flag_is_64(tmp_path):
    assert run_emulator("--location", str(tmp_path), "--no-such-flag").returncode == 64


def test_port_in_use_is_1(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_emulator("--port", str(port), "--location", str(tmp_path / "loc"))
    assert done.returncode == 1, done.stderr


def test_unusable_location_is_1(tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    assert run_emulator("--port", "0", "--location", str(not_a_dir)).returncode == 1


def test_sigterm_right_after_listening_exits_0(emulator):
    """The `listening` line says the server is ready, so a SIGTERM sent at once must stop it
    cleanly too (a test harness does exactly this). Five tries, so a start-up race shows."""
    codes = [emulator.terminate(timeout=10)]
    for _ in range(4):
        emulator.start()
        codes.append(emulator.terminate(timeout=10))
    assert codes == [0] * 5, f"exit codes {codes} (-15: died of SIGTERM, -9: ignored it for 10 s)"


def test_sigterm_after_traffic_exits_0(emulator):
    service_client(emulator).create_container("some-traffic")
    assert emulator.terminate() == 0


def test_health(emulator):
    assert emulator.admin("GET", "health") == (200, "ok")


def test_stats_count_requests_bytes_and_put_blocks(emulator):
    blob = new_container(emulator).get_blob_client("s.bin")
    emulator.reset_stats()
    blob.stage_block("b-1", b"12345")
    blob.stage_block("b-2", b"678")
    blob.commit_block_list(["b-1", "b-2"])
    blob.download_blob().readall()
    stats = emulator.stats()
    assert stats["requests"].get("PutBlock") == 2
    assert stats["requests"].get("PutBlockList") == 1
    assert stats["requests"].get("GetBlob") == 1
    assert stats["bytesIn"] >= 8 and stats["bytesOut"] >= 8
    blocks = [(b["container"], b["blob"], b["size"]) for b in stats["putBlocks"]]
    assert blocks == [(blob.container_name, "s.bin", 5), (blob.container_name, "s.bin", 3)]
    emulator.reset_stats()
    assert emulator.stats()["putBlocks"] == []


def test_failed_auth_is_counted(emulator):
    container = new_container(emulator).container_name
    emulator.reset_stats()
    forged = account_sas(emulator, permission="rl", resource_types="co", account_key=WRONG_KEY)
    with pytest.raises(HttpResponseError) as denied:
        list(sas_container_client(emulator, container, forged).list_blobs())
    assert denied.value.status_code == 403
    assert emulator.stats()["failedAuth"] == 1


@pytest.fixture
def bearer_emulator(start_emulator):
    return start_emulator("--bearer-token", "local-test-token")


def bearer_request(emulator, token: str | None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection(emulator.host, emulator.port, timeout=10)
    headers = {"x-ms-version": "2021-08-06"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request("GET", f"/{emulator.account}?comp=list", headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_bearer_token(bearer_emulator):
    service_client(bearer_emulator).create_container("for-bearer")
    assert bearer_request(bearer_emulator, "local-test-token").status == 200
    wrong = bearer_request(bearer_emulator, "wrong-token")
    assert wrong.status == 401
    assert (wrong.getheader("WWW-Authenticate") or "").startswith("Bearer")


def test_debug_log_has_one_line_per_request_and_no_secrets(start_emulator):
    emulator = start_emulator("--log-level", "debug")
    container = new_container(emulator)
    container.upload_blob("logged.bin", b"x")
    sas = account_sas(emulator, permission="rl", resource_types="co")
    signature = next(p.split("=", 1)[1] for p in sas.split("&") if p.startswith("sig="))
    assert [b.name for b in sas_container_client(emulator, container.container_name, sas).list_blobs()] == \
        ["logged.bin"]
    emulator.terminate()
    log = emulator.stderr_path.read_text()
    assert "PutBlob" in log and "ListBlobs" in log, "debug logs name each operation"
    for secret in (DEV_KEY, signature, signature.replace("%2B", "+").replace("%2F", "/").replace("%3D", "=")):
        assert secret not in log, "a secret reached the emulator's log"
    assert "SharedKey devstoreaccount1:" not in log or "SharedKey devstoreaccount1:<" in log


def test_custom_account_and_key(start_emulator):
    key = base64.b64encode(bytes(range(64))).decode()
    emulator = start_emulator("--host", "127.0.0.1", "--account", "ferryacct", "--account-key", key)
    emulator.account, emulator.key = "ferryacct", key
    assert emulator.url.endswith("/ferryacct")
    container = new_container(emulator)
    container.upload_blob("k.bin", b"custom")
    assert container.download_blob("k.bin").readall() == b"custom"
    emulator.key = base64.b64encode(b"the dev key is not this account's key").decode()
    with pytest.raises(HttpResponseError) as denied:
        service_client(emulator).get_container_client(container.container_name).download_blob("k.bin")
    assert denied.value.status_code == 403


def test_default_log_level_prints_no_request_lines(emulator):
    service_client(emulator).create_container("quiet")
    emulator.terminate()
    assert "CreateContainer" not in emulator.stderr_path.read_text()


ALL_OPERATIONS = ["CreateContainer", "GetContainerProperties", "DeleteContainer", "ListContainers",
                  "SetContainerMetadata", "PutBlob", "PutBlock", "PutBlockList", "GetBlockList", "GetBlob",
                  "GetBlobProperties", "DeleteBlob", "ListBlobs", "SetBlobMetadata", "SetBlobProperties",
                  "GetAccountInfo"]


def test_every_contract_operation_name_is_a_valid_fault_op(emulator):
    faults = emulator.set_faults([f"busy:ops={'+'.join(ALL_OPERATIONS)},rate=0"], seed=5)
    assert sorted(faults["rules"][0]["ops"]) == sorted(ALL_OPERATIONS)
    assert faults["seed"] == 5
