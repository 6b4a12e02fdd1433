"""Ferry beside AzCopy 10.18 on one ferry-emulator held to account limits, in the same run.

The emulator refuses work past `--account-limits` (default 200 requests/s and 400 Mb/s ingress)
with 503 ServerBusy, as a storage account past its scalability targets does. Three clients upload
the same data into fresh containers, one after the other, each starting with full token buckets:

- `ferry`: default settings (adaptive concurrency learns the limit from the refusals);
- `ferry-fixed`: `--concurrency 64 --fixed-concurrency`, the same engine hammering without
  adaptation, which is how Ferry behaved before adaptive concurrency;
- `azcopy`: AzCopy 10.18 at its defaults.

Data: (a) one 1 GiB file — bandwidth is the limit; (b) 20,000 files of 1–8 KiB — requests are the
limit (one Put Blob each). For each run it prints wall time, goodput, the share of the binding
limit reached (bytes against ingress for (a), accepted requests per second against the request
limit for (b)), and requests refused, counted by the emulator (not by the client). Every upload that
succeeded is then checked byte for byte with Microsoft's SDK; one that gave up is marked FAILED.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "Live"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ferry_live.blobs import service_client  # noqa: E402
from ferry_live.emulator import EmulatorProcess  # noqa: E402
from ferry_live.files import write_random_file  # noqa: E402
from ferry_vs_peers import Tools, settle, tree_bytes_and_count  # noqa: E402

MiB, GiB = 1 << 20, 1 << 30
CLIENTS = ("ferry", "ferry-fixed", "azcopy")


def make_sets(root: Path, only: set[str], small_files: int) -> dict[str, Path]:
    sets = {}
    if "a" in only:
        sets["a"] = root / "a-one-1GiB"
        write_random_file(sets["a"] / "checkpoint.bin", GiB, seed=5)
    if "b" in only:
        sets["b"] = root / f"b-{small_files}-small"
        rng = random.Random(11)
        for i in range(small_files):
            path = sets["b"] / f"part-{i // 1000:02d}" / f"sample-{i:05d}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(rng.randbytes(rng.randint(1024, 8 * 1024)))
    return sets


def upload_argv(tools: Tools, client: str, source: Path, container_url: str) -> list[str]:
    target = f"{container_url}?{tools.sas}"
    if client == "azcopy":
        return [tools.azcopy_bin, "copy", str(source), target, "--recursive", "--from-to", "LocalBlob",
                "--skip-version-check"]
    argv = [tools.ferry_bin, "copy", str(source), target, "--recursive"]
    if client == "ferry-fixed":
        argv += ["--concurrency", "64", "--fixed-concurrency"]
    return argv


def measure(argv: list[str], env: dict[str, str]) -> dict:
    """Runs a client to completion: wall seconds, peak RSS (wait4) and its exit code. A client
    that gives up under throttling is a result here, not an error: its row says so."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = output.decode(errors="replace").strip().splitlines()[-6:]
        print(f"  {os.path.basename(argv[0])} exited {code}: " + " | ".join(tail), flush=True)
    return {"wall": time.perf_counter() - started, "rss_mib": usage.ru_maxrss / 1024, "code": code}


def verify_upload(emulator: EmulatorProcess, container: str, source: Path) -> int:
    """Every file of `source` is a blob `<source name>/<relative path>` with the same bytes."""
    client = service_client(emulator).get_container_client(container)
    checked = 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = f"{source.name}/{path.relative_to(source).as_posix()}"
        # Compared piece by piece: this process stays small, and the clients it starts next
        # inherit its resident size as the start of their peak RSS (Linux counts it at fork).
        with path.open("rb") as local:
            for piece in client.download_blob(name, max_concurrency=4).chunks():
                if local.read(len(piece)) != piece:
                    raise SystemExit(f"{container}/{name} differs from the source")
            if local.read(1):
                raise SystemExit(f"{container}/{name} is shorter than the source")
        checked += 1
    return checked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ferry-bin", required=True)
    parser.add_argument("--emulator-bin", required=True)
    parser.add_argument("--azcopy-bin", required=True)
    parser.add_argument("--sets", default="ab", help="which data sets: any of a, b")
    parser.add_argument("--small-files", type=int, default=20_000)
    parser.add_argument("--requests-per-second", type=float, default=200)
    parser.add_argument("--ingress-mbps", type=float, default=400)
    parser.add_argument("--work", default=None, help="scratch folder (default: a temp dir)")
    parser.add_argument("--clients", default=",".join(CLIENTS), help=f"which clients, comma-separated (default: {','.join(CLIENTS)})")
    args = parser.parse_args()
    os.environ["FERRY_EMULATOR_BIN"] = args.emulator_bin
    limits = f"requests-per-second={args.requests_per_second:g},ingress-mbps={args.ingress_mbps:g}"
    work = Path(args.work or tempfile.mkdtemp(prefix="ferry-throttled-"))
    print(f"scratch: {work}\nemulator --account-limits {limits}", flush=True)
    sets = make_sets(work / "data", set(args.sets), args.small_files)
    emulator = EmulatorProcess(location=work / "emulator", log_dir=work / "emulator-logs").start([])
    rows = []
    try:
        tools = Tools(emulator, args.ferry_bin, args.azcopy_bin, work)
        for key, source in sets.items():
            size, count = tree_bytes_and_count(source)
            for client in args.clients.split(","):
                container = f"{client}-{key}"
                url = tools.container(container)
                settle(emulator.pid)
                # Fresh, full buckets and zeroed counters for every client: the same start for each.
                status, _ = emulator.admin("PUT", "account-limits", {"requests-per-second": args.requests_per_second,
                                                                     "ingress-mbps": args.ingress_mbps})
                if status != 200:
                    raise SystemExit(f"setting account limits answered {status}")
                emulator.reset_stats()
                run = measure(upload_argv(tools, client, source, url), tools.env())
                stats = emulator.stats()
                emulator.admin("DELETE", "account-limits")
                requests = sum(stats["requests"].values())
                refused = stats["accountLimitRefusals"]["total"]
                if run["code"] == 0:
                    verified = verify_upload(emulator, container, source)
                    if verified != count:
                        raise SystemExit(f"{client} set {key}: {verified} of {count} files verified")
                rows.append((key, client, size, count, run, requests, refused))
                print(f"set {key} {client}: {run['wall']:.1f} s, {refused} of {requests} requests refused", flush=True)
    finally:
        emulator.stop()
        shutil.rmtree(work / "emulator", ignore_errors=True)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    ingress_bytes_per_second = args.ingress_mbps * 1e6 / 8
    print(f"\naccount limits: {args.requests_per_second:g} requests/s, {args.ingress_mbps:g} Mb/s ingress")
    header = (f"{'set':3} {'client':12} {'wall s':>7} {'MB/s':>7} {'files/s':>8} {'ok req/s':>8} "
              f"{'of limit':>8} {'requests':>8} {'refused':>8} {'refused %':>9} {'RSS MiB':>8}")
    print(header)
    print("-" * len(header))
    for key, client, size, count, run, requests, refused in rows:
        accepted_per_second = (requests - refused) / run["wall"]
        # The binding limit: bandwidth for the big file, requests for the small ones.
        share = (size / run["wall"] / ingress_bytes_per_second if key == "a"
                 else accepted_per_second / args.requests_per_second)
        print(f"{key:3} {client:12} {run['wall']:7.1f} {size / run['wall'] / 1e6:7.1f} {count / run['wall']:8.1f} "
              f"{accepted_per_second:8.1f} {share * 100:7.1f}% {requests:8} {refused:8} "
              f"{refused / max(1, requests) * 100:8.1f}% {run['rss_mib']:8.0f}"
              + ("" if run["code"] == 0 else f"  FAILED (exit {run['code']})"))
    print("\n'of limit': goodput against the ingress limit (set a), accepted requests/s against the request"
          " limit (set b); wall time includes start-up and listing. Every upload verified with the Python SDK.")


if __name__ == "__main__":
    main()
