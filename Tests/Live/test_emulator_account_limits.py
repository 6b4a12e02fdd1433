"""Account limits (`--account-limits`, `/__ferry/account-limits`): past a limit the emulator refuses
requests with 503 ServerBusy the way Azure throttles, as a property of load (token buckets), and
Microsoft's clients — the Python SDK with and without retries, AzCopy 10.18 — see and survive it.

Rates are checked against hard bounds of the bucket model rather than wall-clock guesses: with a
bucket of capacity C (1 s of rate R) charged at admission, at most C + R·T + one request is
accepted in T seconds, however fast or slow the machine. A loaded machine only makes the client
slower, which keeps it further under the bound; each check fails if the limit is not enforced.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import time

import pytest
from azure.core.exceptions import HttpResponseError
from azure.storage.blob import ExponentialRetry

from ferry_live.blobs import account_sas, container_url, new_container, no_retry, service_client
from ferry_live.files import random_bytes, tree_files, write_random_file

KiB, MiB = 1 << 10, 1 << 20
OPERATIONS_MESSAGE = "Operations per second is over the account limit."
INGRESS_MESSAGE = "Ingress is over the account limit."
EGRESS_MESSAGE = "Egress is over the account limit."


def patient_retry() -> ExponentialRetry:
    """The SDK's own default retry policy class, with its waits scaled from 15 s+ down to under
    a second (the defaults would spend minutes asleep) and more tries. `retry_status` matters: the
    policy allows only 3 retries for an error status unless told otherwise, whatever `retry_total`
    says, and two uploaders against a bucket of two blocks refuse one block 4 times now and then."""
    return ExponentialRetry(initial_backoff=0.5, increment_base=0.25, retry_total=60, retry_status=60,
                            random_jitter_range=0.2)


def bytes_per_second(mbps: float) -> float:
    return mbps * 1_000_000 / 8


def put_limits_text(emulator, text: str) -> tuple[int, dict]:
    """PUT /__ferry/account-limits with the `key=value,...` text body, as curl -d would send it."""
    conn = http.client.HTTPConnection(emulator.host, emulator.port, timeout=30)
    try:
        conn.request("PUT", "/__ferry/account-limits", body=text.encode(), headers={"Content-Type": "text/plain"})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def limits(emulator) -> dict:
    status, body = emulator.admin("GET", "account-limits")
    assert status == 200, body
    return body


def refusals(emulator) -> dict:
    return emulator.stats()["accountLimitRefusals"]


def probe_properties(blob, calls: int, min_seconds_after_refusal: float = 0.0, seen_headers: list | None = None):
    """Get Blob Properties `calls` times (more while the steady state is shorter than
    `min_seconds_after_refusal`), no retries. Returns (outcomes, times, start): True = accepted."""
    start = time.monotonic()
    outcomes: list[bool] = []
    times: list[float] = []
    first_refusal: float | None = None
    hook = (lambda r: seen_headers.append(dict(r.http_response.headers))) if seen_headers is not None else None
    while len(outcomes) < calls or (first_refusal is not None
                                    and time.monotonic() - first_refusal < min_seconds_after_refusal
                                    and len(outcomes) < 20 * calls):
        try:
            blob.get_blob_properties(raw_response_hook=hook) if hook else blob.get_blob_properties()
            outcomes.append(True)
        except HttpResponseError as refused:
            assert (refused.status_code, refused.error_code) == (503, "ServerBusy"), refused
            outcomes.append(False)
            if first_refusal is None:
                first_refusal = time.monotonic()
        times.append(time.monotonic())
    return outcomes, times, start


# --- (1) requests per second ---------------------------------------------------------------------

def test_requests_per_second_refuses_a_burst_and_accepts_at_the_rate(start_emulator):
    rate = 20
    emulator = start_emulator("--account-limits", f"requests-per-second={rate}")
    container = new_container(emulator, prefix="rps", retry_policy=no_retry())
    blob = container.get_blob_client("b.bin")
    blob.upload_blob(b"data")
    time.sleep(1.1)  # the set-up's two requests are paid back: the burst starts on a full bucket
    emulator.reset_stats()

    outcomes, times, started = probe_properties(blob, 200, min_seconds_after_refusal=1.5)
    accepted, refused = outcomes.count(True), outcomes.count(False)
    assert refused >= len(outcomes) // 2, f"only {refused} of {len(outcomes)} refused at {rate} requests/s"
    # The burst is the bucket (one second of the rate) plus what refilled while it was spent.
    first_refusal = outcomes.index(False)
    start = times[first_refusal]
    assert rate - 1 <= first_refusal <= rate + rate * (start - started) + 1, \
        f"first refusal after {first_refusal} calls in {start - started:.2f} s"
    # Past the burst, what is accepted per second is the rate.
    steady = outcomes[first_refusal + 1:]
    elapsed = times[-1] - start
    steady_rate = steady.count(True) / elapsed
    assert 0.75 * rate <= steady_rate <= 1.25 * rate, \
        f"{steady.count(True)} accepted in {elapsed:.2f} s after the burst = {steady_rate:.1f}/s, limit {rate}/s"
    # Overall, never more than the bucket plus the rate over the whole run.
    assert accepted <= rate + rate * (times[-1] - started) + 1

    counted = refusals(emulator)
    assert counted == {"total": refused, "operations": refused, "ingress": 0, "egress": 0}
    assert emulator.stats()["requests"]["GetBlobProperties"] == len(outcomes)


# --- (2) ingress, through the SDK's retries --------------------------------------------------------

def test_ingress_limit_paces_an_sdk_upload_and_counts_refusals(start_emulator):
    mbps = 16  # 2,000,000 bytes/s; 1 s of burst
    emulator = start_emulator("--account-limits", f"ingress-mbps={mbps}")
    container = new_container(emulator, prefix="ingress", retry_policy=patient_retry(),
                              max_block_size=1 * MiB, max_single_put_size=1 * MiB)
    data = random_bytes(20 * MiB, seed=16)
    time.sleep(1.1)
    emulator.reset_stats()

    started = time.monotonic()
    container.upload_blob("paced.bin", data, max_concurrency=2)
    elapsed = time.monotonic() - started

    limit = bytes_per_second(mbps)
    rate = len(data) / elapsed
    # Hard bound: ≤ burst + rate·T + one block, so 20 MiB needs ≥ 8.9 s and ≤ 1.17× the limit.
    assert rate <= 1.2 * limit, f"{len(data)} bytes in {elapsed:.2f} s = {rate / 1e6:.2f} MB/s, limit {limit / 1e6} MB/s"
    counted = refusals(emulator)
    assert counted["ingress"] > 0 and counted["operations"] == 0 and counted["egress"] == 0, counted
    assert counted["total"] == counted["ingress"]
    # Refused bodies are not stored or counted as received; each block landed once.
    stats = emulator.stats()
    assert len(data) <= stats["bytesIn"] < len(data) + 64 * KiB, "a refused upload's body was taken in"
    assert stats["requests"]["PutBlock"] + stats["requests"]["PutBlockList"] == 21 + counted["ingress"], stats["requests"]
    assert container.download_blob("paced.bin").readall() == data


def test_ingress_refusal_is_server_busy_with_the_ingress_message(start_emulator):
    emulator = start_emulator("--account-limits", "ingress-mbps=8")
    container = new_container(emulator, prefix="ingress", retry_policy=no_retry())
    container.upload_blob("first.bin", random_bytes(3 * MiB, seed=1))  # 3 MiB against a 1 MB bucket
    with pytest.raises(HttpResponseError) as refused:
        container.upload_blob("second.bin", b"x")
    assert (refused.value.status_code, refused.value.error_code) == (503, "ServerBusy")
    assert INGRESS_MESSAGE in str(refused.value.message)
    # A request without a body moves no ingress: it is not refused.
    assert container.get_blob_client("first.bin").get_blob_properties().size == 3 * MiB
    assert refusals(emulator)["ingress"] == 1


# --- egress ------------------------------------------------------------------------------------------

def test_egress_limit_paces_an_sdk_download(start_emulator):
    mbps = 16
    emulator = start_emulator()
    container = new_container(emulator, prefix="egress", retry_policy=patient_retry(),
                              max_single_get_size=1 * MiB, max_chunk_get_size=1 * MiB)
    data = random_bytes(12 * MiB, seed=12)
    container.upload_blob("out.bin", data)
    status, body = emulator.admin("PUT", "account-limits", {"egress-mbps": mbps})
    assert status == 200 and body["egressMbps"] == mbps, body
    emulator.reset_stats()

    started = time.monotonic()
    assert container.download_blob("out.bin").readall() == data
    elapsed = time.monotonic() - started
    rate = len(data) / elapsed
    limit = bytes_per_second(mbps)
    # ≤ burst + rate·T + one 1 MiB chunk: 12 MiB needs ≥ 4.2 s, ≤ 1.5× the limit.
    assert rate <= 1.5 * limit, f"{rate / 1e6:.2f} MB/s downloaded, limit {limit / 1e6} MB/s"
    counted = refusals(emulator)
    assert counted["egress"] > 0 and counted["total"] == counted["egress"], counted

    # Without retries: one whole-blob GET (12 MiB against a 2 MB bucket) at most, then refusal.
    flaky = service_client(emulator, retry_policy=no_retry()).get_blob_client(container.container_name, "out.bin")
    with pytest.raises(HttpResponseError) as refused:
        for _ in range(2):
            flaky.download_blob().readall()
    assert (refused.value.status_code, refused.value.error_code) == (503, "ServerBusy")
    assert EGRESS_MESSAGE in str(refused.value.message)


# --- (3) AzCopy --------------------------------------------------------------------------------------

def test_azcopy_upload_survives_limits_with_correct_bytes(start_emulator, azcopy, tmp_path):
    emulator = start_emulator("--account-limits", "requests-per-second=40,ingress-mbps=80")
    container = new_container(emulator, prefix="azcopy", retry_policy=patient_retry()).container_name
    source = tmp_path / "src"
    for i in range(30):
        write_random_file(source / f"small/file-{i:02d}.bin", 16 * KiB + i, seed=i)
    write_random_file(source / "big/nine.bin", 9 * MiB + 7, seed=90)
    write_random_file(source / "big/ten.bin", 10 * MiB + 3, seed=91)
    emulator.reset_stats()

    url = container_url(emulator, container, account_sas(emulator, permission="rwdlac", resource_types="sco"))
    azcopy.run("copy", str(source), url, "--recursive", "--from-to", "LocalBlob", "--log-level", "INFO",
               timeout_seconds=240)

    counted = refusals(emulator)
    assert counted["total"] > 0, f"AzCopy was never refused: {counted}"
    # Verify with no limits left, so the check itself is not throttled.
    status, body = emulator.admin("DELETE", "account-limits")
    assert status == 200 and body["limits"] == "", body
    client = service_client(emulator).get_container_client(container)
    expected = tree_files(source)
    stored = {b.name: b.size for b in client.list_blobs()}
    assert stored == {f"src/{name}": size for name, size in expected.items()}
    for name in expected:
        got = client.download_blob(f"src/{name}").readall()
        assert hashlib.sha256(got).digest() == hashlib.sha256((source / name).read_bytes()).digest(), name


# --- (4) admin endpoint ------------------------------------------------------------------------------

def test_limits_set_and_cleared_through_the_admin_endpoint(emulator):
    container = new_container(emulator, prefix="admin", retry_policy=no_retry())
    blob = container.get_blob_client("b.bin")
    blob.upload_blob(b"data")
    assert limits(emulator)["limits"] == ""

    status, body = put_limits_text(emulator, "requests-per-second=5,retry-after=1")
    assert status == 200, body
    assert (body["requestsPerSecond"], body["retryAfter"], body["ingressMbps"]) == (5, 1, None)
    assert limits(emulator)["limits"] == "requests-per-second=5,retry-after=1"
    seen: list = []
    outcomes, _, _ = probe_properties(blob, 30, seen_headers=seen)
    assert outcomes.count(False) >= 20, outcomes
    refused_headers = [{k.lower(): v for k, v in h.items()} for h in seen]
    assert any(h.get("x-ms-error-code") == "ServerBusy" and h.get("retry-after") == "1" for h in refused_headers)

    # JSON with the same keys replaces the limits (and refills the buckets).
    status, body = emulator.admin("POST", "account-limits", {"ingress-mbps": 8})
    assert status == 200 and body["limits"] == "ingress-mbps=8", body
    container.upload_blob("big.bin", random_bytes(2 * MiB, seed=2))
    with pytest.raises(HttpResponseError) as refused:
        container.upload_blob("next.bin", b"x")
    assert refused.value.error_code == "ServerBusy" and INGRESS_MESSAGE in str(refused.value.message)
    assert "retry-after" not in {k.lower() for k in refused.value.response.headers}, "no Retry-After unless set"

    # A bad body is refused and leaves the limits as they were.
    status, body = put_limits_text(emulator, "requests-per-second=fast")
    assert status == 400 and "requests-per-second" in body["error"], body
    assert limits(emulator)["limits"] == "ingress-mbps=8"

    status, body = emulator.admin("DELETE", "account-limits")
    assert status == 200 and body["limits"] == "", body
    emulator.reset_stats()
    for i in range(3):
        container.upload_blob(f"free-{i}.bin", random_bytes(2 * MiB, seed=i))
    outcomes, _, _ = probe_properties(blob, 60)
    assert all(outcomes)
    assert refusals(emulator)["total"] == 0


# --- (5) no limits -----------------------------------------------------------------------------------

def test_without_limits_nothing_is_refused(emulator):
    container = new_container(emulator, prefix="free", retry_policy=no_retry())
    blob = container.get_blob_client("b.bin")
    blob.upload_blob(random_bytes(4 * MiB, seed=4))
    emulator.reset_stats()
    outcomes, _, _ = probe_properties(blob, 200)
    assert all(outcomes)
    for i in range(5):
        container.upload_blob(f"more-{i}.bin", random_bytes(2 * MiB, seed=i))
        assert len(blob.download_blob().readall()) == 4 * MiB
    assert refusals(emulator) == {"total": 0, "operations": 0, "ingress": 0, "egress": 0}
    assert limits(emulator)["limits"] == ""


def test_bad_limits_are_a_usage_error(tmp_path):
    import subprocess
    from ferry_live.emulator import emulator_binary
    done = subprocess.run([emulator_binary(), "--port", "0", "--location", str(tmp_path / "loc"),
                           "--account-limits", "requests-per-second=0"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 64, done
    assert "--account-limits" in done.stderr and "requests-per-second" in done.stderr
    help_text = subprocess.run([emulator_binary(), "--help"], capture_output=True, text=True, timeout=30).stdout
    assert "--account-limits" in help_text and "requests-per-second=20" in help_text
