"""Fidelity: injected faults, each seen by Microsoft's Python SDK the way a real service fault is
seen — both through the start-up `--fault` flag and the `/__ferry/faults` admin endpoint."""
from __future__ import annotations

import subprocess

import pytest
from azure.core.exceptions import (
    AzureError,
    HttpResponseError,
    IncompleteReadError,
    ServiceRequestError,
    ServiceResponseError,
)

from ferry_live.blobs import fast_retry, new_container, no_retry, service_client
from ferry_live.emulator import emulator_binary
from ferry_live.files import random_bytes

MiB = 1 << 20
CONNECTION_ERRORS = (ServiceRequestError, ServiceResponseError, IncompleteReadError)


def headers_recorder(seen: list):
    """A raw_response_hook that keeps each response's status and headers."""
    def hook(response):
        seen.append((response.http_response.status_code, dict(response.http_response.headers)))
    return hook


def container_pair(emulator, **kwargs):
    """The same new container through a client that never retries and one that retries at once."""
    flaky = new_container(emulator, retry_policy=no_retry(), **kwargs)
    patient = service_client(emulator, retry_policy=fast_retry(5), **kwargs) \
        .get_container_client(flaky.container_name)
    return flaky, patient


# --- busy / timeout -----------------------------------------------------------------------------

def test_busy_without_retries_raises_503_server_busy(emulator):
    flaky, _ = container_pair(emulator)
    emulator.set_faults(["busy:ops=PutBlob"])
    with pytest.raises(HttpResponseError) as busy:
        flaky.upload_blob("b.bin", b"data")
    assert (busy.value.status_code, busy.value.error_code) == (503, "ServerBusy")


def test_busy_with_retries_succeeds_and_stats_count_the_faults(emulator):
    _, patient = container_pair(emulator)
    emulator.reset_stats()
    emulator.set_faults(["busy:ops=PutBlob,count=2"])
    patient.upload_blob("b.bin", b"data")
    assert patient.download_blob("b.bin").readall() == b"data"
    stats = emulator.stats()
    assert stats["faultsInjected"] == 2
    assert stats["requests"]["PutBlob"] == 3
    assert emulator.faults()["rules"][0]["hits"] == 2


@pytest.mark.parametrize("retry_after", [None, 3])
def test_timeout_fault_is_500_operation_timed_out(emulator, retry_after):
    flaky, patient = container_pair(emulator)
    rule = "timeout:ops=GetBlobProperties" + (f",retry-after={retry_after}" if retry_after else "")
    flaky.upload_blob("b.bin", b"data")
    emulator.set_faults([rule])
    seen: list = []
    with pytest.raises(HttpResponseError) as timed_out:
        flaky.get_blob_client("b.bin").get_blob_properties(raw_response_hook=headers_recorder(seen))
    assert (timed_out.value.status_code, timed_out.value.error_code) == (500, "OperationTimedOut")
    retry_after_header = {k.lower(): v for k, v in seen[-1][1].items()}.get("retry-after")
    assert retry_after_header == (str(retry_after) if retry_after else None)

    emulator.set_faults([rule + ",count=1"])
    assert patient.get_blob_client("b.bin").get_blob_properties().size == 4


# --- drop / stall ----------------------------------------------------------------------------------

def test_drop_on_upload_is_a_connection_error(emulator):
    flaky, patient = container_pair(emulator)
    emulator.set_faults(["drop:ops=PutBlob"])
    with pytest.raises(CONNECTION_ERRORS):
        flaky.upload_blob("dropped.bin", random_bytes(2 * MiB, 1))
    emulator.set_faults(["drop:ops=PutBlob,count=1"])
    patient.upload_blob("dropped.bin", random_bytes(2 * MiB, 1), overwrite=True)
    assert patient.download_blob("dropped.bin").readall() == random_bytes(2 * MiB, 1)
    assert emulator.stats()["faultsInjected"] >= 2


def test_drop_on_download_is_a_connection_error(emulator):
    flaky, patient = container_pair(emulator)
    data = random_bytes(2 * MiB, 2)
    flaky.upload_blob("dropped.bin", data)
    emulator.set_faults(["drop:ops=GetBlob"])
    with pytest.raises(AzureError) as dropped:
        flaky.download_blob("dropped.bin").readall()
    # The SDK's downloader re-reads a broken body itself, then wraps the last IncompleteRead in an
    # HttpResponseError that has no status: the connection broke, no HTTP error was answered.
    assert isinstance(dropped.value, CONNECTION_ERRORS) or (
        getattr(dropped.value, "status_code", None) is None and "IncompleteRead" in str(dropped.value))
    emulator.set_faults(["drop:ops=GetBlob,count=1"])
    assert patient.download_blob("dropped.bin").readall() == data
    assert emulator.faults()["rules"][0]["hits"] == 1


def test_stall_longer_than_read_timeout_times_out(emulator):
    flaky, _ = container_pair(emulator, read_timeout=1)
    flaky.upload_blob("slow.bin", b"data")
    emulator.set_faults(["stall:ops=GetBlobProperties,seconds=4"])
    with pytest.raises(ServiceResponseError) as stalled:
        flaky.get_blob_client("slow.bin").get_blob_properties()
    assert "timed out" in str(stalled.value).lower() or "timeout" in str(stalled.value).lower()


def test_stall_shorter_than_read_timeout_succeeds(emulator):
    flaky, _ = container_pair(emulator, read_timeout=30)
    flaky.upload_blob("slow.bin", b"data")
    emulator.set_faults(["stall:ops=GetBlobProperties,seconds=1"])
    assert flaky.get_blob_client("slow.bin").get_blob_properties().size == 4
    assert emulator.stats()["faultsInjected"] == 1


# --- corrupt / corrupt-request -----------------------------------------------------------------------

def test_corrupt_download_fails_md5_validation(emulator):
    flaky, _ = container_pair(emulator)
    data = random_bytes(3 * MiB, 3)
    flaky.upload_blob("c.bin", data)
    emulator.set_faults(["corrupt:ops=GetBlob"])
    with pytest.raises(AzureError) as mismatch:
        flaky.download_blob("c.bin", validate_content=True).readall()
    assert "md5 mismatch" in str(mismatch.value).lower()
    corrupted = flaky.download_blob("c.bin").readall()
    assert len(corrupted) == len(data) and corrupted != data, "corrupt must flip bytes, not change length"


def test_corrupt_request_with_md5_is_400_md5mismatch(emulator):
    flaky, _ = container_pair(emulator)
    emulator.set_faults(["corrupt-request:ops=PutBlob+PutBlock"])
    with pytest.raises(HttpResponseError) as put_blob:
        flaky.upload_blob("cr.bin", random_bytes(5000, 4), validate_content=True)
    assert (put_blob.value.status_code, put_blob.value.error_code) == (400, "Md5Mismatch")
    with pytest.raises(HttpResponseError) as put_block:
        flaky.get_blob_client("cr.bin").stage_block("b", random_bytes(5000, 4), validate_content=True)
    assert (put_block.value.status_code, put_block.value.error_code) == (400, "Md5Mismatch")


def test_corrupt_request_without_checksum_stores_damaged_bytes(emulator):
    flaky, _ = container_pair(emulator)
    data = random_bytes(5000, 5)
    emulator.set_faults(["corrupt-request:ops=PutBlob,count=1"])
    flaky.upload_blob("cr.bin", data)
    emulator.clear_faults()
    stored = flaky.download_blob("cr.bin").readall()
    assert len(stored) == len(data) and stored != data


# --- flag, admin endpoint, rule keys, determinism -------------------------------------------------------

def test_fault_from_startup_flag(start_emulator):
    emulator = start_emulator("--fault", "busy:ops=PutBlob,count=1,retry-after=2", "--fault-seed", "9")
    faults = emulator.faults()
    assert faults["seed"] == 9
    assert len(faults["rules"]) == 1
    rule = faults["rules"][0]
    assert (rule["kind"], rule["ops"], rule["count"], rule["retryAfter"], rule["hits"]) == \
        ("busy", ["PutBlob"], 1, 2, 0)
    flaky, _ = container_pair(emulator)
    with pytest.raises(HttpResponseError) as busy:
        flaky.upload_blob("b.bin", b"x")
    assert busy.value.status_code == 503
    flaky.upload_blob("b.bin", b"x")  # count=1: spent
    assert emulator.faults()["rules"][0]["hits"] == 1


def test_admin_endpoint_switches_modes_on_one_running_emulator(emulator):
    flaky, _ = container_pair(emulator)
    blob = flaky.get_blob_client("switch.bin")
    blob.upload_blob(b"data")

    emulator.set_faults(["busy"])
    with pytest.raises(HttpResponseError) as busy:
        blob.get_blob_properties()
    assert busy.value.status_code == 503

    emulator.set_faults(["timeout"])
    with pytest.raises(HttpResponseError) as timed_out:
        blob.get_blob_properties()
    assert timed_out.value.status_code == 500

    emulator.set_faults(["corrupt:ops=GetBlob"])
    assert blob.get_blob_properties().size == 4  # other operations untouched
    assert blob.download_blob().readall() != b"data"

    emulator.clear_faults()
    assert emulator.faults()["rules"] == []
    assert blob.download_blob().readall() == b"data"


def test_admin_rejects_a_bad_rule(emulator):
    status, body = emulator.admin("PUT", "faults", {"seed": 1, "rules": ["explode:ops=PutBlob"]})
    assert status == 400 and "error" in body
    status, body = emulator.admin("PUT", "faults", {"seed": 1, "rules": ["busy:rate=2.5"]})
    assert status == 400
    assert emulator.faults()["rules"] == []


def test_bad_fault_flag_is_a_usage_error(tmp_path):
    done = subprocess.run([emulator_binary(), "--port", "0", "--location", str(tmp_path / "loc"),
                           "--fault", "explode"], capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    assert done.returncode == 64


def test_ops_after_and_count_select_requests(emulator):
    flaky, _ = container_pair(emulator)
    blob = flaky.get_blob_client("select.bin")
    blob.upload_blob(b"data")
    emulator.set_faults(["busy:ops=GetBlobProperties,after=2,count=1"])
    outcomes = []
    for _ in range(5):
        try:
            blob.get_blob_properties()
            outcomes.append("ok")
        except HttpResponseError as error:
            outcomes.append(error.status_code)
    assert outcomes == ["ok", "ok", 503, "ok", "ok"]
    assert blob.download_blob().readall() == b"data"  # GetBlob is not in ops


def fault_pattern(emulator, container: str, requests: int = 40) -> list[bool]:
    """Creates `container` with one blob, then says which of `requests` HEADs the current
    (rate-limited) rule hit. Every run sends the same sequence, so patterns are comparable."""
    service_client(emulator).create_container(container).upload_blob("b.bin", b"x")
    blob = service_client(emulator, retry_policy=no_retry()).get_blob_client(container, "b.bin")
    hits = []
    for _ in range(requests):
        try:
            blob.get_blob_properties()
            hits.append(False)
        except HttpResponseError as error:
            assert error.status_code == 503
            hits.append(True)
    return hits


def test_rate_is_deterministic_by_seed(emulator, start_emulator):
    rule = "busy:ops=GetBlobProperties,rate=0.5"
    emulator.set_faults([rule], seed=7)
    first = fault_pattern(emulator, "seeded-a")
    emulator.set_faults([rule], seed=7)
    again = fault_pattern(emulator, "seeded-b")
    emulator.set_faults([rule], seed=8)
    other_seed = fault_pattern(emulator, "seeded-c")

    assert 0 < sum(first) < len(first), "rate=0.5 should hit some requests and spare others"
    assert again == first, "the same seed must hit the same requests"
    assert other_seed != first, "another seed should give another pattern"

    started = start_emulator("--fault", rule, "--fault-seed", "7")
    assert fault_pattern(started, "seeded-a") == first, "--fault-seed 7 must match PUT /__ferry/faults seed 7"
