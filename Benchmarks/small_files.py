"""Small-file throughput: Ferry beside AzCopy 10.18 on the same ferry-emulator, same run.

Data set (c) of the spine issue: 20,000 files of 4–64 KiB (`--files` to change). Upload into a
fresh container, download into a fresh folder, compare trees. Each client is a child process;
`os.wait4` reports its CPU seconds and peak RSS. No third-party Python packages: the account
SAS for AzCopy is signed here (HMAC-SHA256 with the emulator's development key).
Usage: python3 Benchmarks/small_files.py --ferry-bin B --emulator-bin E [--azcopy-bin A]
"""
from __future__ import annotations

import argparse
import base64
import filecmp
import hashlib
import hmac
import os
import random
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
ACCOUNT = "devstoreaccount1"


def account_sas() -> str:
    fields = {"sv": "2021-08-06", "ss": "b", "srt": "sco", "sp": "rwdlacup", "se": "2099-01-01T00:00:00Z",
              "st": "2024-01-01T00:00:00Z", "spr": "https,http"}
    text = "\n".join([ACCOUNT, fields["sp"], fields["ss"], fields["srt"], fields["st"], fields["se"], "",
                      fields["spr"], fields["sv"], "", ""])
    fields["sig"] = base64.b64encode(hmac.new(base64.b64decode(DEV_KEY), text.encode(), hashlib.sha256).digest()).decode()
    return urllib.parse.urlencode(fields, quote_via=urllib.parse.quote, safe="")


def make_set(root: Path, count: int) -> tuple[int, int]:
    rng = random.Random(7)
    total = 0
    for i in range(count):
        size = rng.randint(4 * 1024, 64 * 1024)
        path = root / f"part-{i // 1000:02d}" / f"sample-{i:05d}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(size))
        total += size
    return total, count


def measure(argv: list[str], env: dict[str, str]) -> dict:
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{argv[0]} exited {code}:\n{output.decode(errors='replace')[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024}


def trees_identical(a: Path, b: Path) -> bool:
    for dirpath, _dirs, names in os.walk(a):
        rel = Path(dirpath).relative_to(a)
        for name in names:
            if not filecmp.cmp(Path(dirpath) / name, b / rel / name, shallow=False):
                return False
    return sum(len(n) for _, _, n in os.walk(a)) == sum(len(n) for _, _, n in os.walk(b))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ferry-bin", required=True)
    parser.add_argument("--emulator-bin", required=True)
    parser.add_argument("--azcopy-bin")
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--tools", default="azcopy,ferry")
    parser.add_argument("--work")
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="ferry-small-"))
    source = work / "data" / "small"
    size, count = make_set(source, args.files)
    port_file = work / "emulator.port"
    emulator = subprocess.Popen([args.emulator_bin, "--port", "0", "--location", str(work / "emulator")],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = emulator.stdout.readline()
    url = next(word for word in line.split() if word.startswith("http://")).rstrip("/")
    url = url if url.endswith(ACCOUNT) else f"{url}/{ACCOUNT}"
    sas = account_sas()
    env = {"PATH": os.environ["PATH"], "HOME": str(work), "FERRY_HOME": str(work / "ferry-home"),
           "AZCOPY_JOB_PLAN_LOCATION": str(work / "azcopy-plans"), "AZCOPY_LOG_LOCATION": str(work / "azcopy-logs")}
    rows = []
    try:
        for tool in args.tools.split(","):
            container = f"{url}/{tool}-small"
            if tool == "ferry":
                up = [args.ferry_bin, "copy", str(source), f"{container}?{sas}", "--recursive"]
                down = [args.ferry_bin, "copy", f"{container}/small?{sas}", None, "--recursive"]
            else:
                # AzCopy does not create containers: Ferry does (prepareDestination) with an empty copy.
                empty = work / "empty"
                empty.mkdir(exist_ok=True)
                (empty / "x").write_bytes(b"")
                measure([args.ferry_bin, "copy", str(empty / "x"), f"{container}/x?{sas}"], env)
                up = [args.azcopy_bin, "copy", str(source), f"{container}?{sas}", "--recursive", "--from-to", "LocalBlob",
                      "--skip-version-check"]
                down = [args.azcopy_bin, "copy", f"{container}/small?{sas}", None, "--recursive", "--from-to", "BlobLocal",
                        "--skip-version-check"]
            m_up = measure(up, env)
            target = work / f"down-{tool}"
            target.mkdir()
            down[down.index(None)] = str(target)
            m_down = measure(down, env)
            assert trees_identical(source, target / "small"), f"{tool}: downloaded tree differs"
            shutil.rmtree(target)
            rows += [(tool, "upload", m_up), (tool, "download", m_down)]
            print(f"{tool}: up {count / m_up['wall']:.0f} files/s, down {count / m_down['wall']:.0f} files/s", flush=True)
    finally:
        emulator.terminate()
        emulator.wait()
    print(f"\n{count} files, {size / 1e6:.0f} MB")
    print(f"{'tool':7} {'dir':8} {'wall s':>7} {'files/s':>8} {'CPU s':>7} {'RSS MiB':>8}")
    for tool, direction, m in rows:
        print(f"{tool:7} {direction:8} {m['wall']:7.2f} {count / m['wall']:8.0f} {m['cpu']:7.2f} {m['rss_mib']:8.0f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
