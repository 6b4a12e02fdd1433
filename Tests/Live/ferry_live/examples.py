"""Running the folders of Examples/ the way their READMEs say (Tests/Live/test_examples.py): a clean
environment for a script, what landed read back with Microsoft's SDK, receipts, the shard trees and
parts, and a Kubernetes manifest's container started as the kubelet would start it here.

Stateless helpers; each test owns its processes.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from .blobs import service_client
from .ferry_cli import ferry_binary, ferry_for
from .files import tree_files, write_random_file

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "Examples"
K8S = EXAMPLES / "kubernetes-indexed-job"
MiB = 1 << 20


def script_env(tmp_path: Path, extra: dict[str, str]) -> dict[str, str]:
    """A clean environment: PATH (ferry's folder first, so the scripts' default `ferry` is the
    binary under test), HOME and what the test sets — nothing leaks in from the test runner's shell."""
    ferry_dir = str(Path(ferry_binary()).parent)
    env = {"PATH": f"{ferry_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": str(tmp_path),
           "LC_ALL": "C.UTF-8"}
    env.update(extra)
    return env


def run_script(script: Path, tmp_path: Path, env: dict[str, str], *args: str, timeout: float = 300,
               expect: int | None = 0) -> subprocess.CompletedProcess:
    done = subprocess.run(["bash", str(script), *args], cwd=tmp_path, env=script_env(tmp_path, env),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    if expect is not None:
        assert done.returncode == expect, describe(script, done)
    return done


def describe(script: Path, done: subprocess.CompletedProcess) -> str:
    return (f"{script.relative_to(REPO)} → exit {done.returncode}\nstdout tail:\n{done.stdout[-3000:]}\n"
            f"stderr tail:\n{done.stderr[-3000:]}")


def container_blobs(emulator, container: str, prefix: str = "") -> dict[str, bytes]:
    client = service_client(emulator).get_container_client(container)
    return {b.name[len(prefix):]: client.download_blob(b.name).readall()
            for b in client.list_blobs(name_starts_with=prefix)}


def local_files(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in tree_files(root)}


def last_line(path: Path) -> str:
    return path.read_text().splitlines()[-1]


def receipt_of(tmp_path: Path, target: str, env: dict[str, str] | None = None) -> str:
    out = tmp_path / f"receipt-{len(list(tmp_path.glob('receipt-*')))}.jsonl"
    ferry_for(tmp_path, env=env or {}, name="receipt-home").run("receipt", target, "--output", str(out))
    return last_line(out)


def venv_tool(name: str) -> str:
    path = Path(sys.executable).parent / name  # beside the venv interpreter running the tests
    assert path.exists(), f"{name} is not installed at {path} (run scripts/install-test-deps)"
    return str(path)


def emulator_is_gone(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return True
    return b"ferry-emulator" not in cmdline  # the PID was reused by something else


def shard_tree(root: Path) -> Path:
    for index in range(24):
        write_random_file(root / f"train/shard-{index:04d}.jsonl", 1_000 + 997 * index, 500 + index)
    for index, size in enumerate((3 * MiB + 11, 2 * MiB, MiB + 1)):
        write_random_file(root / f"checkpoints/part-{index}.bin", size, 600 + index)
    write_random_file(root / "empty.txt", 0, 700)
    return root


def receipt_entries(path: Path) -> dict[str, int]:
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[-1].get("format") == "ferry-receipt", f"{path} has no receipt trailer"
    return {entry["path"]: entry["size"] for entry in lines[:-1]}


def assert_disjoint_parts_make_the_whole(parts: list[dict[str, int]], whole: dict[str, int]) -> None:
    seen: dict[str, int] = {}
    for index, part in enumerate(parts):
        assert part, f"part {index} is empty"
        for path in part:
            assert path not in seen, f"{path} is in part {seen[path]} and part {index}"
            seen[path] = index
    assert {p: s for part in parts for p, s in part.items()} == whole


def expand_kubernetes(text: str, env: dict[str, str]) -> str:
    """Kubernetes' expansion of `$(VAR)` in a container's command and args: a defined variable is
    replaced, `$$` is a literal `$`, an undefined reference is left as it is."""
    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)",
                  lambda m: "$" if m.group(0) == "$$" else env.get(m.group(1), m.group(0)), text)


def kubernetes_job(name: str) -> dict:
    import yaml
    documents = [d for d in yaml.safe_load_all((K8S / name).read_text()) if d]
    [job] = [d for d in documents if d.get("kind") == "Job"]
    assert job["apiVersion"] == "batch/v1", job["apiVersion"]
    return job


def container_command(container: dict, values: dict[str, str], tmp_path: Path,
                      index: int | None = None) -> tuple[list[str], dict[str, str]]:
    """A manifest's container as the kubelet would start it here: its env (each value the manifest's,
    or the test's stand-in from `values` for cluster paths, URLs and Secrets; JOB_COMPLETION_INDEX
    for a pod of an Indexed Job), `$(VAR)` expanded in its command, the image's `ferry` = the
    binary under test. Returns argv and env."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    for variable in container.get("env", []):
        name = variable["name"]
        assert name in values or "value" in variable, f"{container['name']}: no stand-in for {name}"
        env[name] = values.get(name, variable.get("value", ""))
    if index is not None:
        env["JOB_COMPLETION_INDEX"] = str(index)
    argv = [expand_kubernetes(word, env) for word in container["command"] + container.get("args", [])]
    assert argv[0] == "ferry", argv
    return [ferry_binary(), *argv[1:]], env


def run_container(container: dict, values: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    argv, env = container_command(container, values, tmp_path)
    return subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
