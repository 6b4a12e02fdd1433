"""Every folder under Examples/ run the way its README says — the very same script, adapted only
through the environment variables it documents — against ferry-emulator and SeaweedFS. What landed
is read back with Microsoft's SDK and boto3, never judged from the script's own output alone.

- bulk-upload-azure: upload.sh copies and verifies; a stale blob under the prefix makes it exit 1.
- sync-dataset-s3: sync.sh mirrors a directory to S3 across a change, a deletion over
  --max-delete (exit 4, nothing deleted) and a dry-run-only pass.
- github-actions-resume: actionlint passes on the workflow (and fails on a broken copy); upload.sh
  killed with SIGKILL mid-upload finishes on a fresh FERRY_HOME reusing staged blocks, and on the
  kept FERRY_HOME with `ferry jobs resume`; install-ferry.sh installs a tarball.
- kubernetes-indexed-job: job.yaml's container command, expanded as Kubernetes does, run as the 4
  pods of the Indexed Job (JOB_COMPLETION_INDEX=0..3): disjoint receipts that merge into the
  source's; the Dockerfile installs every system library ferry links.
- training-node-staging: stage.sh for RANK 0 and 1 of WORLD_SIZE 2 stages disjoint halves and starts
  the training command only after its shard verified; a failed staging never starts it.
- local-emulator-ci: ci.sh runs a step against its own emulator and stops it, also when the step fails
  or ci.sh is cancelled with SIGTERM.

Helpers (clean script environments, read-back, manifests run as the kubelet would): ferry_live/examples.py.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import urllib.parse
from pathlib import Path

from ferry_live.blobs import account_sas, new_container, service_client
from ferry_live.emulator import emulator_binary
from ferry_live.examples import (
    EXAMPLES,
    K8S,
    MiB,
    assert_disjoint_parts_make_the_whole,
    container_blobs,
    container_command,
    describe,
    emulator_is_gone,
    kubernetes_job,
    last_line,
    local_files,
    receipt_entries,
    receipt_of,
    run_container,
    run_script,
    script_env,
    shard_tree,
    venv_tool,
)
from ferry_live.ferry_cli import decode_block_id, ferry_binary, ferry_for, job_ids, settled_put_blocks, wait_until
from ferry_live.files import tree_files, write_random_file
from ferry_live.seaweed import BUCKET

SAMPLE = EXAMPLES / "sample-dataset"


# --- every script ---------------------------------------------------------------------------------
def test_every_example_script_passes_shellcheck_and_says_what_it_reads():
    scripts = sorted([*EXAMPLES.glob("*/*.sh"), *EXAMPLES.glob("*/*.sbatch")])
    assert len(scripts) >= 8, scripts  # upload.sh ×2, install-ferry.sh, sync.sh, stage.sh, ci.sh, the two .sbatch
    done = subprocess.run([venv_tool("shellcheck"), "--severity=info", *map(str, scripts)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"shellcheck:\n{done.stdout}\n{done.stderr}"
    for script in scripts:
        text = script.read_text()
        assert text.startswith("#!/usr/bin/env bash\n# "), f"{script}: no header comment"
        assert "set -euo pipefail" in text and "Reads:" in text, f"{script}: no strict mode or no 'Reads:'"
        assert os.access(script, os.X_OK), f"{script} is not executable"


# --- bulk-upload-azure ----------------------------------------------------------------------------
def test_bulk_upload_azure_copies_verifies_and_fails_on_a_stale_blob(emulator, tmp_path):
    script = EXAMPLES / "bulk-upload-azure" / "upload.sh"
    container = new_container(emulator, prefix="bulk").container_name
    dest = f"{emulator.url}/{container}/corpus-v2"
    receipt = tmp_path / "corpus-v2.receipt.jsonl"
    env = {"AZURE_STORAGE_CONNECTION_STRING": emulator.connection_string, "FERRY_HOME": str(tmp_path / "home"),
           "FERRY_SOURCE": str(SAMPLE), "FERRY_DEST": dest, "FERRY_RECEIPT": str(receipt),
           "FERRY_COPY_FLAGS": "--block-size-mb 1 --concurrency 8"}

    done = run_script(script, tmp_path, env)
    assert "OK: every file matches" in done.stdout, describe(script, done)
    assert container_blobs(emulator, container, "corpus-v2/") == local_files(SAMPLE)
    assert last_line(receipt) == receipt_of(tmp_path, str(SAMPLE))  # the receipt is the source's tree

    # A blob under the prefix that the corpus does not have (an older upload's leftover): the copy
    # succeeds, the verify names it, the script fails.
    service_client(emulator).get_container_client(container).upload_blob("corpus-v2/stale.jsonl", b"old\n")
    done = run_script(script, tmp_path, {**env, "FERRY_VERIFY_READ": "1"}, expect=1)
    assert "extra: stale.jsonl" in done.stdout, describe(script, done)

    # A missing corpus is a usage error before anything runs.
    run_script(script, tmp_path, {**env, "FERRY_SOURCE": str(tmp_path / "nope")}, expect=64)

    # Signed in with a SAS in FERRY_DEST alone, to another prefix: the signature reaches no output.
    sas = account_sas(emulator)
    # The signature's longest alphanumeric run: found however the URL was encoded where printed.
    signature = max(re.split(r"[^A-Za-z0-9]", urllib.parse.parse_qs(sas)["sig"][0]), key=len)
    assert len(signature) >= 8, sas
    signed = {**env, "AZURE_STORAGE_CONNECTION_STRING": "", "FERRY_DEST": f"{emulator.url}/{container}/v3?{sas}"}
    done = run_script(script, tmp_path, signed)
    assert "OK: every file matches" in done.stdout, describe(script, done)
    assert container_blobs(emulator, container, "v3/") == local_files(SAMPLE)
    assert signature not in done.stdout + done.stderr, "the SAS signature was printed"


# --- sync-dataset-s3 ------------------------------------------------------------------------------
def test_sync_dataset_s3_mirrors_changes_and_deletes_within_the_limit(seaweed, tmp_path):
    script = EXAMPLES / "sync-dataset-s3" / "sync.sh"
    dataset = tmp_path / "dataset"
    for index in range(8):
        write_random_file(dataset / f"train/shard-{index:04d}.jsonl", 20_000 + index, 100 + index)
    write_random_file(dataset / "weights/model.bin", 9 * MiB + 5, 99)
    (dataset / "README.md").write_text("a dataset\n")
    env = {**seaweed.env, "AWS_ENDPOINT_URL_S3": seaweed.endpoint, "FERRY_HOME": str(tmp_path / "home"),
           "FERRY_SOURCE": str(dataset), "FERRY_DEST": f"s3://{BUCKET}/dataset",
           "FERRY_RECEIPT": str(tmp_path / "dataset.receipt.jsonl")}

    def bucket() -> dict[str, bytes]:
        client = seaweed.client()
        keys = [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET, Prefix="dataset/").get("Contents", [])]
        return {key.removeprefix("dataset/"): seaweed.get(key) for key in keys}

    first = run_script(script, tmp_path, env)
    assert first.stdout.count("DRYRUN: copy ") == 10, describe(script, first)
    assert "10 file(s) would be copied, 0 object(s) would be deleted" in first.stdout, describe(script, first)
    assert bucket() == local_files(dataset)

    # A shard rewritten, one deleted, one added: 1 of 10 objects is to go, over the default 5 %.
    write_random_file(dataset / "train/shard-0003.jsonl", 30_000, 7)
    (dataset / "train/shard-0005.jsonl").unlink()
    write_random_file(dataset / "train/shard-0008.jsonl", 12_345, 8)
    before = bucket()
    refused = run_script(script, tmp_path, env, expect=4)
    assert "DRYRUN: delete " in refused.stdout and "max-delete" in refused.stderr, describe(script, refused)
    assert bucket() == before, "a sync stopped by --max-delete changed the bucket"

    second = run_script(script, tmp_path, {**env, "FERRY_MAX_DELETE": "1"})
    assert "1 object(s) would be deleted" in second.stdout, describe(script, second)
    assert "OK: every file matches" in second.stdout, describe(script, second)
    assert bucket() == local_files(dataset)
    assert last_line(tmp_path / "dataset.receipt.jsonl") == receipt_of(tmp_path, str(dataset))

    # Dry run only: the plan is printed, the bucket is left as it is.
    (dataset / "README.md").write_text("a dataset, version 2\n")
    looked = run_script(script, tmp_path, {**env, "FERRY_DRY_RUN_ONLY": "1"})
    assert "DRYRUN: copy " in looked.stdout and "README.md" in looked.stdout, describe(script, looked)
    assert bucket()["README.md"] == b"a dataset\n"


# --- github-actions-resume ------------------------------------------------------------------------
GHA = EXAMPLES / "github-actions-resume"
BIG_FILES = 2
BIG_BLOCKS = 12  # 48 MiB in 4 MiB blocks
SLOW = "--block-size-mb 4 --concurrency 4 --cap-mbps 160"  # 96 MiB at ~20 MB/s: ~5 s


def actionlint() -> list[str]:
    """actionlint, with ShellCheck on the workflow's `run:` scripts."""
    return [venv_tool("actionlint"), "-no-color", "-shellcheck", venv_tool("shellcheck")]


def test_github_actions_workflow_passes_actionlint(tmp_path):
    workflow = GHA / "upload-dataset.yml"
    done = subprocess.run([*actionlint(), str(workflow)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"actionlint:\n{done.stdout}\n{done.stderr}"
    # The workflow's run steps call the scripts of the folder, and both exist.
    text = workflow.read_text()
    for name in ("upload.sh", "install-ferry.sh"):
        assert f"bash Examples/github-actions-resume/{name}" in text and (GHA / name).exists(), name
    # The linter is not a rubber stamp: a step output of a step that does not exist is caught.
    broken = tmp_path / "broken.yml"
    broken.write_text(text.replace("steps.upload.outcome", "steps.uplod.outcome"))
    done = subprocess.run([*actionlint(), str(broken)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "uplod" in done.stdout, f"actionlint:\n{done.stdout}\n{done.stderr}"


def killed_upload(emulator, tmp_path: Path) -> tuple[dict[str, str], Path, set]:
    """upload.sh started slowly on two 48 MiB files and killed (SIGKILL to its whole process group,
    as a runner is lost) once 8 blocks were accepted: its env, the source and the staged blocks."""
    container = new_container(emulator, prefix="gha").container_name
    source = tmp_path / "dataset"
    for index in range(BIG_FILES):
        write_random_file(source / f"part-{index}.bin", BIG_BLOCKS * 4 * MiB, 300 + index)
    env = {"AZURE_STORAGE_CONNECTION_STRING": emulator.connection_string, "FERRY_HOME": str(tmp_path / "home-1"),
           "FERRY_BIN": ferry_binary(), "FERRY_SOURCE": str(source), "FERRY_DEST": f"{emulator.url}/{container}/dataset",
           "FERRY_RECEIPT": str(tmp_path / "dataset.receipt.jsonl"), "FERRY_COPY_FLAGS": SLOW}
    log = tmp_path / "killed-run.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(["bash", str(GHA / "upload.sh")], cwd=tmp_path, env=script_env(tmp_path, env),
                                   stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        wait_until(lambda: process.poll() is not None or len(emulator.stats()["putBlocks"]) >= 8, timeout=120,
                   poll=0.05, what="8 accepted blocks")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # bash and ferry: the runner is gone
        process.wait()
    assert process.returncode == -signal.SIGKILL, (f"upload.sh exited ({process.returncode}) before the kill point:\n"
                                                   f"{log.read_text(errors='replace')[-3000:]}")
    accepted = {(entry["blob"], decode_block_id(entry["blockId"])[1]) for entry in settled_put_blocks(emulator)}
    assert 8 <= len(accepted) < BIG_FILES * BIG_BLOCKS, f"{len(accepted)} blocks staged; slow the upload down"
    assert not (tmp_path / "dataset.receipt.jsonl").exists(), "a killed upload wrote a receipt"
    return env, source, accepted


def assert_uploaded(emulator, env: dict[str, str], source: Path) -> None:
    container, prefix = env["FERRY_DEST"].removeprefix(emulator.url + "/").split("/", 1)
    assert container_blobs(emulator, container, prefix + "/") == local_files(source)


def test_github_actions_upload_killed_then_rerun_on_a_fresh_runner_reuses_staged_blocks(emulator, tmp_path,
                                                                                     report_figure):
    env, source, accepted = killed_upload(emulator, tmp_path)
    for path in source.iterdir():  # a fresh checkout of the same bytes: new modification times
        os.utime(path, (time.time() + 3600, time.time() + 3600))
    fresh = {**env, "FERRY_HOME": str(tmp_path / "home-fresh"), "FERRY_COPY_FLAGS": "--block-size-mb 4"}
    done = run_script(GHA / "upload.sh", tmp_path, fresh)
    assert "resuming job" not in done.stderr and "OK: every file matches" in done.stdout, describe(GHA / "upload.sh", done)
    assert_uploaded(emulator, env, source)
    reused = re.search(r"\(([\d.]+) MiB already sent by earlier runs\)", done.stdout)
    assert reused, f"the summary does not say what was reused:\n{done.stdout[-2000:]}"
    report_figure(f"upload.sh killed after {len(accepted)} staged 4 MiB blocks; the fresh runner's re-run "
                  f"reused {reused.group(1)} MiB")
    assert 0 < float(reused.group(1)) <= len(accepted) * 4, (reused.group(0), len(accepted))
    assert last_line(tmp_path / "dataset.receipt.jsonl") == receipt_of(tmp_path, str(source))


def test_github_actions_upload_killed_then_rerun_with_the_cached_ferry_home_resumes_the_job(emulator, tmp_path):
    env, source, _accepted = killed_upload(emulator, tmp_path)
    [job] = job_ids(Path(env["FERRY_HOME"]))
    done = run_script(GHA / "upload.sh", tmp_path, env)  # the same FERRY_HOME, as actions/cache restores it
    assert f"resuming job {job}" in done.stderr, describe(GHA / "upload.sh", done)
    assert "OK: every file matches" in done.stdout, describe(GHA / "upload.sh", done)
    assert_uploaded(emulator, env, source)
    assert job_ids(Path(env["FERRY_HOME"])) == [job], "the re-run started a second job instead of resuming"
    assert last_line(tmp_path / "dataset.receipt.jsonl") == receipt_of(tmp_path, str(source))


def test_github_actions_install_ferry_unpacks_a_tarball_onto_the_path(tmp_path):
    built = tmp_path / "built" / "bin"
    built.mkdir(parents=True)
    shutil.copy2(ferry_binary(), built / "ferry")
    tarball = tmp_path / "ferry.tar.gz"
    with tarfile.open(tarball, "w:gz", compresslevel=1) as archive:
        archive.add(tmp_path / "built", arcname=".")
    github_path = tmp_path / "github-path"
    env = {"FERRY_TARBALL_URL": tarball.as_uri(), "FERRY_PREFIX": str(tmp_path / "prefix"),
           "GITHUB_PATH": str(github_path)}
    done = run_script(GHA / "install-ferry.sh", tmp_path, env)
    version = subprocess.run([ferry_binary(), "--version"], capture_output=True, text=True).stdout
    assert done.stdout == version, describe(GHA / "install-ferry.sh", done)
    assert github_path.read_text() == f"{tmp_path / 'prefix' / 'bin'}\n"
    assert (tmp_path / "prefix" / "bin" / "ferry").read_bytes() == Path(ferry_binary()).read_bytes()
    run_script(GHA / "install-ferry.sh", tmp_path, {**env, "FERRY_TARBALL_URL": ""}, expect=64)


# --- local-emulator-ci ----------------------------------------------------------------------------
CI = EXAMPLES / "local-emulator-ci" / "ci.sh"

# The step a user's pipeline would run: upload fixtures with ferry, list them, read one back with
# Microsoft's SDK through the exported connection string; it records the emulator's PID.
CI_STEP = r"""
set -euo pipefail
echo "$FERRY_EMULATOR_PID" > emulator.pid
mkdir -p fixtures/nested
printf 'one\n' > fixtures/a.txt
printf 'two\n' > fixtures/nested/b.txt
ferry copy fixtures "$FERRY_CI_CONTAINER_URL" --recursive
ferry ls "$FERRY_CI_CONTAINER_URL" --recursive > listing.txt
"$PYTHON" - <<'EOF'
import os
from azure.storage.blob import BlobServiceClient
service = BlobServiceClient.from_connection_string(os.environ["AZURE_STORAGE_CONNECTION_STRING"])
data = service.get_container_client("datasets").download_blob("fixtures/nested/b.txt").readall()
assert data == b"two\n", data
print("sdk read ok")
EOF
"""


def run_ci(tmp_path: Path, step: str, expect: int) -> tuple[subprocess.CompletedProcess, int]:
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    (tmp_path / "emulator.pid").unlink(missing_ok=True)
    env = {"FERRY_EMULATOR_BIN": emulator_binary(), "TMPDIR": str(scratch), "PYTHON": sys.executable}
    done = run_script(CI, tmp_path, env, "bash", "-c", step, expect=expect)
    pid = int((tmp_path / "emulator.pid").read_text())
    assert emulator_is_gone(pid), f"ferry-emulator (pid {pid}) still runs after ci.sh exited"
    assert list(scratch.iterdir()) == [], f"ci.sh left {list(scratch.iterdir())} behind"
    return done, pid


def test_local_emulator_ci_runs_the_step_and_stops_the_emulator(tmp_path):
    done, _pid = run_ci(tmp_path, CI_STEP, expect=0)
    assert "sdk read ok" in done.stdout, describe(CI, done)
    listing = (tmp_path / "listing.txt").read_text()
    assert "fixtures/a.txt" in listing and "fixtures/nested/b.txt" in listing and "total: 2 objects" in listing, listing


def test_local_emulator_ci_a_failing_step_fails_and_still_stops_the_emulator(tmp_path):
    done, _pid = run_ci(tmp_path, 'echo "$FERRY_EMULATOR_PID" > emulator.pid; ferry ls "$FERRY_CI_CONTAINER_URL"; exit 7',
                        expect=7)
    assert "the step failed with exit code 7" in done.stderr, describe(CI, done)
    run_script(CI, tmp_path, {"FERRY_EMULATOR_BIN": emulator_binary()}, expect=64)  # no step given


def test_local_emulator_ci_cancelled_by_sigterm_stops_the_emulator_and_cleans_up(tmp_path):
    """A CI runner cancelling the job signals the step's process group: ci.sh exits non-zero,
    nothing of the emulator is left running and its temporary folder is gone."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = script_env(tmp_path, {"FERRY_EMULATOR_BIN": emulator_binary(), "TMPDIR": str(scratch)})
    step = 'echo "$FERRY_EMULATOR_PID" > emulator.tmp && mv emulator.tmp emulator.pid && sleep 120'
    log = tmp_path / "ci.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(["bash", str(CI), "bash", "-c", step], cwd=tmp_path, env=env,
                                   stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        wait_until(lambda: (tmp_path / "emulator.pid").exists() or process.poll() is not None, timeout=60,
                   what="the step to start")
        assert process.poll() is None, f"ci.sh exited {process.returncode}:\n{log.read_text(errors='replace')}"
        pid = int((tmp_path / "emulator.pid").read_text())
        os.killpg(process.pid, signal.SIGTERM)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert code == 143, f"a cancelled ci.sh exited {code}, not 128 + SIGTERM"
    wait_until(lambda: emulator_is_gone(pid), timeout=30, what="the emulator to exit")
    assert list(scratch.iterdir()) == [], f"ci.sh left {list(scratch.iterdir())} behind"


# --- kubernetes-indexed-job -----------------------------------------------------------------------
def test_kubernetes_indexed_job_manifest_runs_as_four_shards_whose_receipts_merge(emulator, tmp_path):
    job = kubernetes_job("job.yaml")
    spec = job["spec"]
    assert (spec["completionMode"], spec["completions"], spec["parallelism"]) == ("Indexed", 4, 4), spec
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] in ("Never", "OnFailure")
    [container] = pod["containers"]
    command = container["command"] + container.get("args", [])
    assert command[:2] == ["ferry", "copy"] and "--recursive" in command, command
    flag = {name: command[command.index(name) + 1] for name in ("--shard", "--shard-count", "--receipt")}
    assert flag["--shard"] == "auto" and int(flag["--shard-count"]) == spec["completions"], flag
    assert "$(JOB_COMPLETION_INDEX)" in flag["--receipt"], flag

    # Credentials come from a Secret, never a literal; the receipts land on a claim every pod shares.
    env_spec = {e["name"]: e for e in container["env"]}
    secret = env_spec["AZURE_STORAGE_CONNECTION_STRING"]["valueFrom"]["secretKeyRef"]
    assert secret["name"] and secret["key"], secret
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    receipts_dir = env_spec["RECEIPTS_DIR"]["value"]
    assert "persistentVolumeClaim" in volumes[mounts[receipts_dir]], "receipts must outlive the pods"
    assert any(env_spec["DATASET_SOURCE"]["value"].startswith(path + "/") for path in mounts), "source not mounted"

    # Run the container's command as the 4 pods would: the manifest's env with its cluster values
    # (paths, URL, Secret) pointed at this machine, and JOB_COMPLETION_INDEX set by "Kubernetes".
    source = shard_tree(tmp_path / "data" / "corpus")
    container_name = new_container(emulator, prefix="k8s").container_name
    dest = f"{emulator.url}/{container_name}/corpus-v2"
    local = {"DATASET_SOURCE": str(source), "DATASET_URL": dest, "RECEIPTS_DIR": str(tmp_path / "receipts"),
             "AZURE_STORAGE_CONNECTION_STRING": emulator.connection_string}
    assert set(env_spec) == set(local) | {"FERRY_HOME"}, f"variables in job.yaml: {sorted(env_spec)}"
    (tmp_path / "receipts").mkdir()
    pods = []
    for index in range(spec["completions"]):  # parallelism 4: all at once
        pod_values = {**local, "FERRY_HOME": str(tmp_path / f"pod-{index}" / "ferry-home")}
        argv, env = container_command(container, pod_values, tmp_path, index=index)
        pods.append(subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True))
    outputs = [pod_process.communicate(timeout=300) for pod_process in pods]
    for index, (pod_process, (out, err)) in enumerate(zip(pods, outputs)):
        assert pod_process.returncode == 0, f"pod {index} → {pod_process.returncode}\n{out[-2000:]}\n{err[-2000:]}"
        assert f"ferry: shard {index}/4 (from JOB_COMPLETION_INDEX={index}, --shard-count 4)" in err, err

    receipts = [tmp_path / "receipts" / f"{index}.jsonl" for index in range(4)]
    assert_disjoint_parts_make_the_whole([receipt_entries(r) for r in receipts], tree_files(source))
    assert container_blobs(emulator, container_name, "corpus-v2/") == local_files(source)

    # check-job.yaml, run after the Job: its init container merges the 4 receipts, its container verifies.
    check = kubernetes_job("check-job.yaml")["spec"]["template"]["spec"]
    [merge], [verify] = check["initContainers"], check["containers"]
    listed = [word for word in merge["command"] if word.endswith(".jsonl") and "$(RECEIPTS_DIR)/" in word]
    assert listed[:-1] == [f"$(RECEIPTS_DIR)/{index}.jsonl" for index in range(spec["completions"])], listed
    check_values = {**local, "FERRY_HOME": str(tmp_path / "check" / "ferry-home")}
    merged = run_container(merge, check_values, tmp_path)
    assert merged.returncode == 0, f"merge → {merged.returncode}\n{merged.stdout}\n{merged.stderr}"
    verified = run_container(verify, check_values, tmp_path)
    assert verified.returncode == 0 and "OK: every file matches" in verified.stdout, verified.stdout + verified.stderr
    assert last_line(tmp_path / "receipts" / "corpus-v2.jsonl") == receipt_of(tmp_path, str(source))
    # A blob lost afterwards: the check Job's container fails, naming it.
    service_client(emulator).get_container_client(container_name).delete_blob("corpus-v2/train/shard-0007.jsonl")
    verified = run_container(verify, check_values, tmp_path)
    assert verified.returncode == 1 and "missing: train/shard-0007.jsonl" in verified.stdout, verified.stdout


def test_kubernetes_dockerfile_installs_every_system_library_ferry_links(tmp_path):
    """No container engine here: the Dockerfile is read. It starts from plain Debian, copies the
    binary scripts/install puts in PREFIX/bin, and installs the Debian package of every library
    outside the Swift toolchain that ferry (or the Swift runtime libraries it loads) needs."""
    text = (K8S / "Dockerfile").read_text()
    assert re.search(r"^FROM debian:bookworm-slim$", text, re.MULTILINE), "not a plain Debian base"
    assert re.search(r"^COPY bin/ferry /usr/local/bin/ferry$", text, re.MULTILINE)
    installed = set(re.search(r"apt-get install -y --no-install-recommends ([^\\&\n]+)", text).group(1).split())
    assert "ca-certificates" in installed
    # In debian:bookworm-slim already (dpkg and apt depend on them).
    base = {"libc6", "libgcc-s1", "libstdc++6", "zlib1g"}
    ldd = subprocess.run(["ldd", ferry_binary()], capture_output=True, text=True, check=True).stdout
    resolved = dict(re.findall(r"^\s*(\S+) => (/\S+)", ldd, re.MULTILINE))
    toolchain = {name for name, path in resolved.items() if "/swift" in path}
    wanted = set()  # libraries named by ferry itself or by a Swift runtime library, outside the toolchain
    for binary in [ferry_binary()] + [resolved[name] for name in toolchain]:
        dynamic = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True).stdout
        wanted |= {name for name in re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic)
                   if name in resolved and name not in toolchain}
    packages = {}
    for name in sorted(wanted):
        real = os.path.realpath(resolved[name])  # dpkg knows /lib/… or /usr/lib/… (merged /usr)
        candidates = [resolved[name], real, real.removeprefix("/usr")]
        owners = [subprocess.run(["dpkg", "-S", path], capture_output=True, text=True) for path in candidates]
        found = [o.stdout for o in owners if o.returncode == 0]
        assert found, f"no Debian package owns {resolved[name]} ({real})"
        packages[name] = found[0].split(":")[0]
    missing = {name: package for name, package in packages.items() if package not in installed | base}
    assert not missing, f"the Dockerfile does not install {missing} (ferry links {sorted(wanted)})"


# --- training-node-staging ------------------------------------------------------------------------
STAGE = EXAMPLES / "training-node-staging" / "stage.sh"

# The "training command": records what the stage directory held when it started, then exits 0.
TRAIN = r"""
set -euo pipefail
test -s "$FERRY_STAGE_RECEIPT"
(cd "$FERRY_STAGE_DIR" && find . -type f -printf '%P %s\n' | sort) > "$MARKERS/rank-$RANK.seen"
echo "training rank $RANK of $WORLD_SIZE on $FERRY_STAGE_DIR"
"""


def test_training_node_staging_two_ranks_stage_disjoint_halves_before_training(emulator, tmp_path):
    source = shard_tree(tmp_path / "corpus")
    container_name = new_container(emulator, prefix="stage").container_name
    url = f"{emulator.url}/{container_name}/corpus"
    ferry_for(tmp_path, emulator).run("copy", f"{source}/*", url, "--recursive")
    (tmp_path / "markers").mkdir()
    base = {"AZURE_STORAGE_CONNECTION_STRING": emulator.connection_string, "FERRY_DATASET_URL": url,
            "WORLD_SIZE": "2", "MARKERS": str(tmp_path / "markers")}

    # Rank 0 signs in with the connection string; rank 1 with a read/list SAS in the URL alone.
    signed = {"AZURE_STORAGE_CONNECTION_STRING": "", "FERRY_DATASET_URL": f"{url}?{account_sas(emulator, 'rl')}"}
    parts = []
    for rank in range(2):
        env = {**base, **(signed if rank == 1 else {}), "RANK": str(rank),
               "FERRY_STAGE_DIR": str(tmp_path / f"node-{rank}" / "data"),
               "FERRY_HOME": str(tmp_path / f"node-{rank}" / "ferry-home")}
        done = run_script(STAGE, tmp_path, env, "bash", "-c", TRAIN)
        assert f"ferry: shard {rank}/2 (from RANK={rank}, WORLD_SIZE=2)" in done.stderr, describe(STAGE, done)
        assert f"training rank {rank} of 2" in done.stdout, describe(STAGE, done)
        staged = tree_files(tmp_path / f"node-{rank}" / "data")
        seen = dict(line.rsplit(" ", 1) for line in (tmp_path / "markers" / f"rank-{rank}.seen").read_text().splitlines())
        # The training command started after the whole shard had landed and been verified.
        assert {path: int(size) for path, size in seen.items()} == staged
        assert receipt_entries(tmp_path / f"node-{rank}" / "data.receipt.jsonl") == staged
        for path in staged:
            assert (tmp_path / f"node-{rank}" / "data" / path).read_bytes() == (source / path).read_bytes(), path
        parts.append(staged)
    assert_disjoint_parts_make_the_whole(parts, tree_files(source))

    # Staging that fails (no credentials) never starts training, and says why with ferry's code.
    env = {**base, "RANK": "0", "AZURE_STORAGE_CONNECTION_STRING": "", "FERRY_STAGE_DIR": str(tmp_path / "node-x"),
           "FERRY_HOME": str(tmp_path / "node-x-home")}
    done = run_script(STAGE, tmp_path, {**env, "MARKERS": str(tmp_path / "markers-x")}, "bash", "-c", TRAIN, expect=None)
    assert done.returncode not in (0, 64) and "training rank" not in done.stdout, describe(STAGE, done)
    assert not (tmp_path / "markers-x").exists()
