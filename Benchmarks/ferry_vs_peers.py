"""Ferry beside AzCopy 10.18 on the same ferry-emulator, in the same run.

Data sets (as in the spine issue): (a) one 2 GiB file, (b) 200 × 8 MiB files, (c) 20,000 files
of 4–64 KiB. For each set and tool: upload into a fresh container, then download into a fresh
folder (verified byte-identical to the source); with `--rounds N` each tool runs N times,
alternating, and its fastest round is reported. Every measurement starts after `sync` with the
emulator idle (`settle`). Each client runs as a child process and
`os.wait4` reports its CPU seconds and peak RSS exactly. Both tools run with default settings;
AzCopy gets a SAS URL and `--from-to`, Ferry the same SAS URL.
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

from ferry_live.blobs import account_sas, service_client  # noqa: E402
from ferry_live.emulator import EmulatorProcess  # noqa: E402
from ferry_live.files import assert_trees_identical, write_random_file  # noqa: E402

MiB, GiB = 1 << 20, 1 << 30


def make_sets(root: Path, only: set[str]) -> dict[str, Path]:
    sets = {}
    if "a" in only:
        sets["a"] = root / "a-one-2GiB"
        write_random_file(sets["a"] / "checkpoint.bin", 2 * GiB, seed=1)
    if "b" in only:
        sets["b"] = root / "b-200x8MiB"
        for i in range(200):
            write_random_file(sets["b"] / f"shard-{i:04d}.tar", 8 * MiB, seed=100 + i)
    if "c" in only:
        sets["c"] = root / "c-20000-small"
        rng = random.Random(7)
        for i in range(20_000):
            size = rng.randint(4 * 1024, 64 * 1024)
            path = sets["c"] / f"part-{i // 1000:02d}" / f"sample-{i:05d}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(rng.randbytes(size))
    return sets


def tree_bytes_and_count(root: Path) -> tuple[int, int]:
    total = count = 0
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            total += (Path(dirpath) / name).stat().st_size
            count += 1
    return total, count


def settle(server_pid: int | None, quiet_cpu_fraction: float = 0.05, limit_seconds: float = 60) -> None:
    """Starts every measurement from the same state: dirty pages written out (`sync`) and the
    server idle (under 5 % of a core for a second, or `limit_seconds` passed). Without it the
    tool measured next pays for the previous one's writeback and the server's after-work."""
    os.sync()
    if server_pid is None:
        return
    deadline = time.monotonic() + limit_seconds
    ticks = os.sysconf("SC_CLK_TCK")

    def cpu_seconds() -> float:
        fields = Path(f"/proc/{server_pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks

    while time.monotonic() < deadline:
        before = cpu_seconds()
        time.sleep(1)
        if cpu_seconds() - before < quiet_cpu_fraction:
            return


def measure(argv: list[str], env: dict[str, str]) -> dict:
    """Runs a client to completion; wall seconds, CPU seconds and peak RSS from wait4."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{argv[0]} exited {code}:\n{output.decode(errors='replace')[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024}


class Tools:
    def __init__(self, emulator: EmulatorProcess, ferry_bin: str, azcopy_bin: str, work: Path):
        self.emulator, self.ferry_bin, self.azcopy_bin, self.work = emulator, ferry_bin, azcopy_bin, work
        self.sas = account_sas(emulator, permission="rwdlac", resource_types="sco")
        self.service = service_client(emulator)

    def container(self, name: str) -> str:
        self.service.create_container(name)
        return f"{self.emulator.url}/{name}"

    def env(self) -> dict[str, str]:
        env = {"PATH": os.environ["PATH"], "HOME": str(self.work),
               "FERRY_HOME": str(self.work / "ferry-home"),
               "AZCOPY_JOB_PLAN_LOCATION": str(self.work / "azcopy-plans"),
               "AZCOPY_LOG_LOCATION": str(self.work / "azcopy-logs")}
        return env

    def upload(self, tool: str, source: Path, container_url: str) -> dict:
        if tool == "ferry":
            argv = [self.ferry_bin, "copy", str(source), f"{container_url}?{self.sas}", "--recursive"]
        else:
            argv = [self.azcopy_bin, "copy", str(source), f"{container_url}?{self.sas}", "--recursive",
                    "--from-to", "LocalBlob", "--skip-version-check"]
        return measure(argv, self.env())

    def download(self, tool: str, container_url: str, name: str, target: Path) -> dict:
        target.mkdir(parents=True)
        if tool == "ferry":
            argv = [self.ferry_bin, "copy", f"{container_url}/{name}?{self.sas}", str(target), "--recursive"]
        else:
            argv = [self.azcopy_bin, "copy", f"{container_url}/{name}?{self.sas}", str(target), "--recursive",
                    "--from-to", "BlobLocal", "--skip-version-check"]
        return measure(argv, self.env())


def measure_cap(tools: Tools, work: Path, cap_mbps: float) -> list[tuple[str, float]]:
    """Ferry up and down with `--cap-mbps`: the achieved megabits per second of each command."""
    size = 256 * MiB
    source = work / "cap" / "capped.bin"
    write_random_file(source, size, seed=99)
    url = tools.container("ferry-cap")
    cap = ["--cap-mbps", f"{cap_mbps:g}"]
    up = measure([tools.ferry_bin, "copy", str(source), f"{url}/capped.bin?{tools.sas}", *cap], tools.env())
    target = work / "cap-down"
    target.mkdir()
    down = measure([tools.ferry_bin, "copy", f"{url}/capped.bin?{tools.sas}", str(target / "capped.bin"), *cap], tools.env())
    if (target / "capped.bin").read_bytes() != source.read_bytes():
        raise SystemExit("capped download differs from the source")
    shutil.rmtree(target)
    return [("upload", size * 8 / up["wall"] / 1e6), ("download", size * 8 / down["wall"] / 1e6)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ferry-bin", required=True)
    parser.add_argument("--emulator-bin", required=True)
    parser.add_argument("--azcopy-bin", required=True)
    parser.add_argument("--sets", default="abc", help="which data sets: any of a, b, c")
    parser.add_argument("--work", default=None, help="scratch folder (default: a temp dir)")
    parser.add_argument("--cap-mbps", type=float, default=400,
                        help="also report how closely `ferry copy --cap-mbps` holds this cap (0: skip)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure each tool this many times, alternating, and report each one's fastest "
                             "round (on a small shared machine one round can be off by a second)")
    args = parser.parse_args()
    os.environ["FERRY_EMULATOR_BIN"] = args.emulator_bin
    work = Path(args.work or tempfile.mkdtemp(prefix="ferry-bench-"))
    print(f"scratch: {work}", flush=True)
    sets = make_sets(work / "data", set(args.sets))
    emulator = EmulatorProcess(location=work / "emulator", log_dir=work / "emulator-logs").start([])
    rows = []
    # Downloaded trees are deleted only after every measurement: ext4 skips inodes freed in the
    # last minute (several with dirty inode tables) when it allocates new ones, so a tool that
    # downloads 20,000 files right after another tool's 20,000 were deleted pays for them.
    downloaded: list[Path] = []
    try:
        tools = Tools(emulator, args.ferry_bin, args.azcopy_bin, work)
        for key, source in sets.items():
            size, count = tree_bytes_and_count(source)
            best: dict[tuple[str, str], dict] = {}
            for round_number in range(args.rounds):
                for tool in ("azcopy", "ferry"):
                    url = tools.container(f"{tool}-{key}-{round_number}")
                    settle(emulator.process.pid if emulator.process else None)
                    up = tools.upload(tool, source, url)
                    down_dir = work / f"down-{tool}-{key}-{round_number}"
                    settle(emulator.process.pid if emulator.process else None)
                    down = tools.download(tool, url, source.name, down_dir)
                    assert_trees_identical(source, down_dir / source.name)
                    downloaded.append(down_dir)
                    for direction, m in (("upload", up), ("download", down)):
                        if (tool, direction) not in best or m["wall"] < best[(tool, direction)]["wall"]:
                            best[(tool, direction)] = m
                    print(f"set {key} {tool} round {round_number + 1}: up {size / up['wall'] / 1e6:.0f} MB/s, "
                          f"down {size / down['wall'] / 1e6:.0f} MB/s", flush=True)
            for tool in ("azcopy", "ferry"):
                for direction in ("upload", "download"):
                    rows.append((key, tool, direction, size, count, best[(tool, direction)]))
        if args.cap_mbps > 0:
            cap_rows = measure_cap(tools, work, args.cap_mbps)
    finally:
        emulator.stop()
        for path in downloaded:
            shutil.rmtree(path, ignore_errors=True)
        # The server's store keeps every uploaded byte (deleted objects too, until compaction):
        # tens of GiB after a full run, which would fill the disk for the next one.
        shutil.rmtree(work / "emulator", ignore_errors=True)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    header = f"{'set':3} {'tool':6} {'dir':8} {'wall s':>7} {'MB/s':>7} {'files/s':>8} {'CPU s':>7} {'CPU s/GiB':>9} {'RSS MiB':>8}"
    print(header)
    print("-" * len(header))
    by_key = {}
    for key, tool, direction, size, count, m in rows:
        by_key[(key, tool, direction)] = m
        print(f"{key:3} {tool:6} {direction:8} {m['wall']:7.2f} {size / m['wall'] / 1e6:7.0f} "
              f"{count / m['wall']:8.0f} {m['cpu']:7.2f} {m['cpu'] / (size / GiB):9.2f} {m['rss_mib']:8.0f}")
    print("\nratio ferry/azcopy (throughput; >1 = Ferry faster; CPU per GiB: <1 = Ferry cheaper)")
    for key in sets:
        for direction in ("upload", "download"):
            f, a = by_key[(key, "ferry", direction)], by_key[(key, "azcopy", direction)]
            print(f"  set {key} {direction:8}: throughput ×{a['wall'] / f['wall']:.2f}, CPU ×{f['cpu'] / a['cpu']:.2f}")
    if args.cap_mbps > 0:
        print(f"\n--cap-mbps {args.cap_mbps:g} (one 256 MiB file; achieved rate over the whole command, start-up included)")
        for direction, achieved in cap_rows:
            print(f"  {direction:8}: {achieved:7.1f} Mb/s = {achieved / args.cap_mbps * 100:5.1f} % of the cap")
    shutil.rmtree(work / "data", ignore_errors=True)


if __name__ == "__main__":
    main()
