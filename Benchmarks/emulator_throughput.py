"""Loopback throughput of ferry-emulator: Put Block ingest and ranged Get Blob egress.

The client is kept cheap so the server is what is measured: one keep-alive `http.client`
connection per thread, a SAS computed once, one pre-allocated block buffer sent as-is, and
responses read with `readinto` into one reused buffer per thread (socket I/O releases the GIL).
"""
from __future__ import annotations

import argparse
import base64
import http.client
import os
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "Live"))

from azure.storage.blob import BlobBlock  # noqa: E402

from ferry_live.blobs import account_sas, service_client  # noqa: E402
from ferry_live.emulator import EmulatorProcess  # noqa: E402

MiB, GiB = 1 << 20, 1 << 30
CONTAINER = "bench"


def block_name(index: int) -> str:
    """The ID as the SDK takes it (it base64-encodes it on the wire)."""
    return f"block-{index:08d}"


def block_id(index: int) -> str:
    """The ID as sent on the wire in Put Block: base64, percent-encoded for the query."""
    return urllib.parse.quote(base64.b64encode(block_name(index).encode()).decode(), safe="")


class Phase:
    """Counts bytes moved by all threads of one phase and the emulator's CPU around it."""

    def __init__(self, name: str, emulator: EmulatorProcess):
        self.name, self.emulator = name, emulator
        self.bytes = 0
        self.lock = threading.Lock()

    def add(self, count: int) -> None:
        with self.lock:
            self.bytes += count

    def run(self, worker, threads: int) -> dict:
        cpu_before, client_before = self.emulator.cpu_seconds(), os.times()
        errors: list[BaseException] = []

        def guarded(index: int) -> None:
            try:
                worker(index)
            except BaseException as error:  # surfaced after join
                errors.append(error)

        started = time.perf_counter()
        pool = [threading.Thread(target=guarded, args=(i,)) for i in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        seconds = time.perf_counter() - started
        if errors:
            raise errors[0]
        client_after = os.times()
        return {
            "phase": self.name, "bytes": self.bytes, "seconds": seconds,
            "mb_per_s": self.bytes / 1e6 / seconds,
            "server_cpu": self.emulator.cpu_seconds() - cpu_before,
            "client_cpu": (client_after.user - client_before.user) + (client_after.system - client_before.system),
            "peak_rss": self.emulator.peak_rss_bytes(),
        }


def connect(emulator: EmulatorProcess) -> http.client.HTTPConnection:
    conn = http.client.HTTPConnection(emulator.host, emulator.port, timeout=120)
    conn.connect()
    return conn


def check(response: http.client.HTTPResponse, expected: int, what: str) -> None:
    if response.status != expected:
        body = response.read()[:500]
        raise RuntimeError(f"{what}: HTTP {response.status} {response.getheader('x-ms-error-code')} {body!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--emulator-bin", required=True)
    parser.add_argument("--volume-gib", type=float, default=4.0, help="bytes each way, GiB (default 4)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--block-mib", type=int, default=8, help="block / range size, MiB (default 8)")
    args = parser.parse_args()

    block = args.block_mib * MiB
    blocks_total = int(args.volume_gib * GiB) // block
    per_thread = -(-blocks_total // args.connections)
    os.environ["FERRY_EMULATOR_BIN"] = args.emulator_bin

    with tempfile.TemporaryDirectory(prefix="ferry-bench-") as tmp:
        emulator = EmulatorProcess(location=Path(tmp) / "location", log_dir=Path(tmp) / "logs").start()
        try:
            service_client(emulator).create_container(CONTAINER)
            sas = account_sas(emulator, permission="rwl", resource_types="co")
            payload = memoryview(bytearray(os.urandom(block)))

            def assignments(thread: int) -> range:
                return range(thread * per_thread, min(blocks_total, (thread + 1) * per_thread))

            ingest = Phase("ingest  (Put Block)", emulator)

            def put_blocks(thread: int) -> None:
                conn = connect(emulator)
                path = f"/{emulator.account}/{CONTAINER}/blob-{thread:02d}"
                for index in assignments(thread):
                    conn.request("PUT", f"{path}?comp=block&blockid={block_id(index)}&{sas}", body=payload,
                                 headers={"Content-Length": str(block), "x-ms-version": "2021-08-06"})
                    response = conn.getresponse()
                    check(response, 201, "Put Block")
                    response.read()
                    ingest.add(block)
                conn.close()

            ingest_row = ingest.run(put_blocks, args.connections)

            container = service_client(emulator).get_container_client(CONTAINER)
            for thread in range(args.connections):
                ids = [BlobBlock(block_name(i)) for i in assignments(thread)]
                if ids:
                    container.get_blob_client(f"blob-{thread:02d}").commit_block_list(ids)

            egress = Phase("egress  (ranged Get Blob)", emulator)

            def get_ranges(thread: int) -> None:
                conn = connect(emulator)
                sink = memoryview(bytearray(block))
                path = f"/{emulator.account}/{CONTAINER}/blob-{thread:02d}?{sas}"
                for position, _ in enumerate(assignments(thread)):
                    start = position * block
                    conn.request("GET", path, headers={"x-ms-range": f"bytes={start}-{start + block - 1}",
                                                       "x-ms-version": "2021-08-06"})
                    response = conn.getresponse()
                    check(response, 206, "Get Blob")
                    got = 0
                    while got < block:
                        n = response.readinto(sink[got:])
                        if not n:
                            raise RuntimeError(f"short body: {got} of {block} bytes")
                        got += n
                    egress.add(got)
                conn.close()

            egress_row = egress.run(get_ranges, args.connections)
            print_table(args, [ingest_row, egress_row], emulator)
        finally:
            emulator.stop()
    return 0


def print_table(args, rows: list[dict], emulator: EmulatorProcess) -> None:
    print(f"\nferry-emulator throughput — {args.connections} connections, {args.block_mib} MiB requests, "
          f"loopback, release build, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
    header = f"{'phase':<28}{'GiB':>7}{'seconds':>9}{'MB/s':>9}{'server CPU s':>14}{'client CPU s':>14}{'peak RSS MiB':>14}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['phase']:<28}{r['bytes'] / GiB:>7.2f}{r['seconds']:>9.2f}{r['mb_per_s']:>9.0f}"
              f"{r['server_cpu']:>14.2f}{r['client_cpu']:>14.2f}{r['peak_rss'] / MiB:>14.1f}")
    print("(MB = 10^6 bytes; peak RSS is the emulator's VmHWM since start, so it is cumulative)")


if __name__ == "__main__":
    sys.exit(main())
