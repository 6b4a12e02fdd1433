"""Ferry sync beside rclone sync and AzCopy sync (ferry-emulator) and rclone sync and s5cmd sync
(SeaweedFS), one server per store, in the same run.

A tree of N small files (default 200,000 of 512 B–8 KiB, 1,000 per folder) is synced by every
tool into its own prefix, in three phases: `first` (everything uploaded), `noop` (nothing
changed) and `1pct` (1 % of the files rewritten with the same size, new bytes and a new mtime; the
same files for every tool); `noop` and `1pct` run in `--rounds` rounds (default 3, new bytes each
round) and the Ferry/rclone summary takes each tool's median. Each client is a child process
under GNU time: wall seconds, CPU seconds (wait4) and peak RSS. Every measurement starts after `sync` with the server idle. After
each run the tool's prefix is listed straight from the server and must hold exactly the source's
names; after `1pct` a sample of the changed objects is read back and compared byte for byte; on
the emulator the write requests (Put*/Set*/Delete) each run made are counted.

`--memory-scaling`: Ferry's peak RSS on a no-op local→local sync of N entries for each N of
`--scaling-counts` (default 200,000 and 1,000,000): empty files, the destination a hard-linked
copy of the source (same size and mtime), so both listings are full size for the cost of inodes.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ferry_vs_peers import settle  # noqa: E402
from sync_bench_stores import AzureSide, S3Side  # noqa: E402

PHASES = ("first", "noop", "1pct")
TIME_BIN = "/usr/bin/time"
RUN_TIMEOUT_SECONDS = 3600
CHANGED_SAMPLE = 25
RUNNING: set[int] = set()  # process groups of the clients being measured (killed if we are stopped)


def relative_path(index: int) -> str:
    return f"part-{index // 1000:03d}/sample-{index:07d}.bin"


def make_tree(root: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for index in range(count):
        path = root / relative_path(index)
        if index % 1000 == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(rng.randint(512, 8 * 1024)))


def changed_indices(count: int) -> list[int]:
    """1 % of the files (every 100th, starting at 37), at least one."""
    return list(range(37 % count, count, 100)) or [0]


def edit_files(root: Path, indices: list[int], round_number: int = 0) -> None:
    """Same size, new bytes (a new seed each round: bytes a round repeated would be no change to
    a tool that compares content), mtime = now (after every tool's last upload)."""
    rng = random.Random(99 + round_number)
    for index in indices:
        path = root / relative_path(index)
        size = path.stat().st_size
        path.write_bytes(rng.randbytes(size))


def measure(argv: list[str], env: dict[str, str], log: Path) -> dict:
    """Runs a client under GNU time (peak RSS from a small forking parent, not this Python);
    wall from here, CPU from wait4 (includes time's waited child). A non-zero exit is recorded,
    not raised, so one tool's failure does not end a long run."""
    report = log.with_suffix(".time")
    started = time.perf_counter()
    with open(log, "wb") as out:
        process = subprocess.Popen([TIME_BIN, "-o", str(report), "-f", "%M", *argv], env=env,
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        RUNNING.add(process.pid)
        deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)  # time and the tool under it (their own group)
            time.sleep(0.05)
    RUNNING.discard(process.pid)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    lines = report.read_text().strip().splitlines() if report.exists() else []
    rss_kib = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    result = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": rss_kib / 1024,
              "exit": process.returncode}
    if process.returncode != 0:
        tail = log.read_bytes()[-1500:].decode(errors="replace")
        print(f"  !! {Path(argv[0]).name} exited {process.returncode}; log tail:\n{tail}", flush=True)
    return result


def ferry_end_event(log: Path) -> dict | None:
    for line in reversed(log.read_bytes().splitlines()):
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("type") == "end":
            return event
    return None


def check_destination(side, tool: str, expected: set[bytes], source: Path, changed: list[int] | None) -> str:
    """'ok' or what is wrong: the prefix's names against the source's; changed objects' bytes."""
    names = side.list_names(tool)
    if names != expected:
        missing, extra = len(expected - names), len(names - expected)
        example = sorted(expected - names)[:2] or sorted(names - expected)[:2]
        return f"WRONG: {len(names)} objects, {missing} missing, {extra} extra (e.g. {example})"
    if changed:
        sample = random.Random(5).sample(changed, min(CHANGED_SAMPLE, len(changed)))
        stale = [i for i in sample if side.read(tool, relative_path(i)) != (source / relative_path(i)).read_bytes()]
        if stale:
            return f"STALE: {len(stale)}/{len(sample)} changed objects not updated (e.g. {relative_path(stale[0])})"
        return f"ok ({len(names)}, {len(sample)} changed read back)"
    return f"ok ({len(names)})"


def run_phases(args, work: Path, bins: dict[str, str]) -> list[dict]:
    source = work / "src"
    print(f"creating {args.files} files…", flush=True)
    started = time.perf_counter()
    make_tree(source, args.files)
    print(f"  {time.perf_counter() - started:.1f} s", flush=True)
    expected = {relative_path(i).encode() for i in range(args.files)}
    changed = changed_indices(args.files)
    home = work / "home"
    home.mkdir()
    (home / "rclone.conf").write_text("")
    rows: list[dict] = []
    sides = []
    try:
        for store in args.stores.split(","):
            sides.append(AzureSide(work, bins) if store == "azure" else S3Side(work, bins))
        tools_wanted = args.tools.split(",")
        # `first` once, then `noop` and `1pct` in rounds: one wall time per tool is at the mercy of
        # a shared VM's noise, so the summary takes each tool's median over the rounds.
        schedule = [("first", 0)] + [(phase, r) for r in range(args.rounds) for phase in ("noop", "1pct")]
        for phase, round_number in schedule:
            if phase == "1pct":
                time.sleep(2)  # edited mtimes strictly after every tool's last upload
                edit_files(source, changed, round_number)
            runs = [(side, tool) for side in sides for tool in side.tools if tool in tools_wanted]
            if phase == "first" and args.wait_for_ferry:
                # The peers' first uploads take most of the run: they go first, then the run waits
                # (servers up, stores kept) until the Ferry binary appears at --ferry-bin.
                runs = [r for r in runs if r[1] != "ferry"] + [r for r in runs if r[1] == "ferry"]
            for side, tool in runs:
                if tool not in tools_wanted:
                    continue
                if tool == "ferry" and not wait_for_binary(bins["ferry"], args.wait_for_ferry):
                    tools_wanted.remove("ferry")
                    print("  no Ferry binary in time: Ferry left out of this run", flush=True)
                    continue
                settle(side.pid)
                side.reset_counts()
                log = work / f"log-{side.name}-{tool}-{phase}.txt"
                extra = ["--output-type", "json"] if tool == "ferry" else []
                m = measure(side.argv(tool, source, extra), side.env(home), log)
                m.update(store=side.name, tool=tool, phase=phase, round=round_number, writes=side.write_requests())
                m["check"] = check_destination(side, tool, expected, source,
                                               changed if phase == "1pct" else None)
                if tool == "ferry":
                    end = ferry_end_event(log)
                    m["ferry_end"] = {k: end.get(k) for k in ("filesDone", "filesSkipped", "filesFailed",
                                                               "bytesDone")} if end else None
                rows.append(m)
                print(f"{time.strftime('%H:%M:%S')} {side.name:5} {tool:6} {phase_label(m):6} wall {m['wall']:7.2f} s  CPU {m['cpu']:7.2f} s  "
                      f"RSS {m['rss_mib']:6.0f} MiB  writes {m['writes'] if m['writes'] is not None else '-'}"
                      f"  exit {m['exit']}  load {os.getloadavg()[0]:.1f}  {m['check']}"
                      + (f"  ferry end {m['ferry_end']}" if tool == "ferry" else ""), flush=True)
    finally:
        for side in sides:
            side.stop()
    return rows


def wait_for_binary(path: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    announced = False
    while not os.access(path, os.X_OK):
        if time.monotonic() > deadline:
            return False
        if not announced:
            print(f"  {time.strftime('%H:%M:%S')} waiting up to {seconds:.0f} s for {path}", flush=True)
            announced = True
        time.sleep(5)
    if announced:
        print(f"  {time.strftime('%H:%M:%S')} found {path}", flush=True)
    return True


def phase_label(m: dict) -> str:
    """`first`, or the phase with its round (`noop2`, `1pct3`)."""
    return m["phase"] if m["phase"] == "first" else f"{m['phase']}{m['round'] + 1}"


def print_table(rows: list[dict], files: int) -> None:
    print(f"\n{files} files; wall / client CPU seconds, peak RSS MiB; writes = write requests the emulator saw")
    header = f"{'store':5} {'tool':6} {'phase':6} {'wall s':>8} {'CPU s':>8} {'RSS MiB':>8} {'writes':>7} {'exit':>4}  check"
    print(header)
    print("-" * (len(header) + 20))
    for m in rows:
        writes = "-" if m["writes"] is None else str(m["writes"])
        print(f"{m['store']:5} {m['tool']:6} {phase_label(m):6} {m['wall']:8.2f} {m['cpu']:8.2f} {m['rss_mib']:8.0f} "
              f"{writes:>7} {m['exit']:>4}  {m['check']}")
    by: dict[tuple, list[dict]] = {}
    for m in rows:
        by.setdefault((m["store"], m["tool"], m["phase"]), []).append(m)
    print("\nFerry / rclone (median wall and CPU over the rounds, peak RSS over them; < 1 = Ferry better; "
          "each round's wall ratio after it).\nGoal: noop and 1pct wall ≤ 0.5, RSS ≤ 1")
    for store in ("azure", "s3"):
        for phase in PHASES:
            f, r = by.get((store, "ferry", phase)), by.get((store, "rclone", phase))
            if not f or not r:
                continue
            wall = statistics.median(m["wall"] for m in f) / statistics.median(m["wall"] for m in r)
            cpu = statistics.median(m["cpu"] for m in f) / max(statistics.median(m["cpu"] for m in r), 1e-6)
            rss = max(m["rss_mib"] for m in f) / max(max(m["rss_mib"] for m in r), 1e-6)
            rounds = " ".join(f"×{a['wall'] / b['wall']:.2f}" for a, b in zip(f, r))
            verdict = ""
            if phase != "first":
                ok = wall <= 0.5 and rss <= 1 and all(m["exit"] == 0 for m in f)
                verdict = "  goal met" if ok else "  GOAL MISSED"
            print(f"  {store:5} {phase:5}: wall ×{wall:.2f}  CPU ×{cpu:.2f}  RSS ×{rss:.2f}{verdict}  (rounds: {rounds})")


def make_empty_tree(root: Path, count: int) -> None:
    for index in range(count):
        path = root / relative_path(index)
        if index % 1000 == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()


def memory_scaling(args, work: Path, ferry: str) -> None:
    print(f"df before: {shutil.disk_usage(work).free / 2**30:.1f} GiB free", flush=True)
    results = []
    home = work / "home"
    home.mkdir(exist_ok=True)
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "FERRY_HOME": str(home / "ferry-home")}
    for count in (int(c) for c in args.scaling_counts.split(",")):
        source, target = work / f"scale-{count}-src", work / f"scale-{count}-dst"
        try:
            started = time.perf_counter()
            make_empty_tree(source, count)
            subprocess.run(["cp", "-al", str(source), str(target)], check=True)
            print(f"{count} entries: tree and hard-linked copy in {time.perf_counter() - started:.1f} s", flush=True)
            os.sync()
            log = work / f"log-scale-{count}.txt"
            m = measure([ferry, "sync", str(source), str(target), "--output-type", "json"], env, log)
            end = ferry_end_event(log)
            done = {k: end.get(k) for k in ("filesDone", "filesSkipped", "filesFailed")} if end else None
            ok = m["exit"] == 0 and end is not None and end.get("filesSkipped") == count and end.get("filesDone") == 0
            results.append((count, m, done, ok))
            print(f"  no-op sync: wall {m['wall']:.2f} s  CPU {m['cpu']:.2f} s  RSS {m['rss_mib']:.0f} MiB  "
                  f"exit {m['exit']}  end {done}  {'ok' if ok else 'CHECK FAILED'}", flush=True)
        finally:
            shutil.rmtree(source, ignore_errors=True)
            shutil.rmtree(target, ignore_errors=True)
    print("\nFerry no-op local→local sync, peak RSS by entry count (goal: flat, ≤ 150 MiB)")
    print(f"{'entries':>9} {'wall s':>8} {'CPU s':>8} {'RSS MiB':>8}  check")
    for count, m, done, ok in results:
        print(f"{count:9d} {m['wall']:8.2f} {m['cpu']:8.2f} {m['rss_mib']:8.0f}  {'ok' if ok else 'FAILED'} {done}")


def stop_on_signal(received: int, _frame) -> None:
    for group in list(RUNNING):
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            pass
    sys.exit(128 + received)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ferry-bin", required=True)
    parser.add_argument("--emulator-bin", required=True)
    parser.add_argument("--azcopy-bin", required=True)
    parser.add_argument("--rclone-bin", required=True)
    parser.add_argument("--s5cmd-bin", required=True)
    parser.add_argument("--files", type=int, default=200_000, help="number of small files (default 200000)")
    parser.add_argument("--stores", default="azure,s3", help="azure, s3 or both (comma-separated)")
    parser.add_argument("--tools", default="ferry,rclone,azcopy,s5cmd", help="comma-separated subset")
    parser.add_argument("--rounds", type=int, default=3, help="noop and 1pct rounds after the first sync (default 3)")
    parser.add_argument("--work", default=None, help="scratch folder (default: a temp dir; always emptied)")
    parser.add_argument("--wait-for-ferry", type=float, default=0, metavar="SECONDS",
                        help="run the peers' first syncs first, then wait up to SECONDS for --ferry-bin to "
                             "appear (servers and stores kept), then go on with Ferry and the other phases")
    parser.add_argument("--memory-scaling", action="store_true",
                        help="instead: Ferry's peak RSS on no-op local→local syncs of --scaling-counts entries")
    parser.add_argument("--scaling-counts", default="200000,1000000")
    args = parser.parse_args()
    # A benchmark stopped with kill or ^C (also when started in the background, where SIGINT is
    # ignored) still stops its servers and removes its scratch in `finally`.
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, stop_on_signal)
    os.environ["FERRY_EMULATOR_BIN"] = args.emulator_bin
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="ferry-sync-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"scratch: {work}", flush=True)
    bins = {"ferry": args.ferry_bin, "azcopy": args.azcopy_bin, "rclone": args.rclone_bin, "s5cmd": args.s5cmd_bin}
    try:
        if args.memory_scaling:
            memory_scaling(args, work, args.ferry_bin)
        else:
            rows = run_phases(args, work, bins)
            print_table(rows, args.files)
    finally:
        # 200,000 files plus six servers' copies of them: never leave them behind (the disk filled once).
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
