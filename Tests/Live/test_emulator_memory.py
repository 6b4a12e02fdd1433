"""Fidelity under load: a 2 GiB blob goes up in 8 MiB blocks and comes back down through the
Python SDK while the emulator's peak resident memory (VmHWM) stays under 150 MiB.

The data is generated while it is sent and hashed while it is received, so the test itself never
holds more than a few blocks either."""
from __future__ import annotations

import hashlib

from ferry_live.blobs import new_container
from ferry_live.files import GeneratedStream

MiB, GiB = 1 << 20, 1 << 30
SIZE = 2 * GiB
PEAK_RSS_LIMIT = 150 * MiB


def test_2gib_upload_and_download_stay_under_150mib_rss(emulator, report_figure):
    container = new_container(emulator, max_single_put_size=8 * MiB, max_block_size=8 * MiB,
                              max_chunk_get_size=8 * MiB, max_single_get_size=8 * MiB)
    blob = container.get_blob_client("two-gib.bin")

    source = GeneratedStream(SIZE, seed=2026)
    blob.upload_blob(source, length=SIZE, max_concurrency=4)
    sent = source.sha256.hexdigest()
    rss_after_upload = emulator.peak_rss_bytes()

    committed, _ = blob.get_block_list("committed")
    assert len(committed) == SIZE // (8 * MiB)
    assert blob.get_blob_properties().size == SIZE

    received = hashlib.sha256()
    count = 0
    for chunk in blob.download_blob(max_concurrency=1).chunks():
        received.update(chunk)
        count += len(chunk)
    peak = emulator.peak_rss_bytes()

    report_figure(f"emulator peak RSS (VmHWM) for a 2 GiB upload: {rss_after_upload / MiB:.1f} MiB; "
                  f"after upload + download: {peak / MiB:.1f} MiB (limit {PEAK_RSS_LIMIT // MiB} MiB)")
    assert count == SIZE
    assert received.hexdigest() == sent, "downloaded bytes differ from uploaded bytes"
    assert peak < PEAK_RSS_LIMIT, f"emulator peak RSS {peak / MiB:.1f} MiB ≥ {PEAK_RSS_LIMIT // MiB} MiB"
