"""Secrets never leak: copies with a SAS URL, an account key (AZURE_STORAGE_ACCOUNT/KEY), a
connection string and a bearer token (AZURE_STORAGE_TOKEN), succeeding and failing, in text and
JSON, at `--log-level debug`, through `jobs list/show/resume` — then stdout, stderr and every
file under FERRY_HOME (job databases with their WAL, logs) are searched for the SAS signature,
the keys and the tokens, raw and percent-encoded. None may appear."""
from __future__ import annotations

import base64
import os
import signal
import urllib.parse
from pathlib import Path

import pytest

from ferry_live.blobs import account_sas, container_sas, container_url, new_container, service_client
from ferry_live.ferry_cli import (
    Ferry,
    FerryRun,
    connection_string_env,
    ferry_for,
    files_containing,
    key_env,
    only_job_id,
    wait_until,
)
from ferry_live.files import write_random_file

MiB = 1 << 20
BEARER = "ferry-test-bearer-" + base64.urlsafe_b64encode(os.urandom(24)).decode().rstrip("=")
WRONG_KEY = base64.b64encode(os.urandom(64)).decode()
WRONG_TOKEN = "wrong-bearer-" + base64.urlsafe_b64encode(os.urandom(18)).decode().rstrip("=")


def needle_forms(secret: str) -> list[str]:
    """The secret as given, percent-encoded both ways, and decoded."""
    forms = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret),
             urllib.parse.unquote(secret)}
    return sorted(f for f in forms if len(f) >= 8)


def sas_signature(sas: str) -> str:
    return urllib.parse.parse_qs(sas)["sig"][0]


@pytest.fixture
def dataset(tmp_path) -> Path:
    root = tmp_path / "secret-dataset"
    write_random_file(root / "big.bin", 3 * MiB + 1, 61)
    write_random_file(root / "small.txt", 1000, 62)
    return root


class Transcript:
    """Every run's output, kept to be searched at the end."""

    def __init__(self):
        self.runs: list[FerryRun] = []

    def run(self, ferry: Ferry, *args: str, expect: int | None = 0, env: dict | None = None) -> FerryRun:
        result = ferry.run(*args, expect=None, env=env)
        self.runs.append(result)
        if expect is not None:
            # describe() shows the output; a leaking secret would be printed here, but the
            # assertion below names only the first characters of a needle.
            assert result.returncode == expect, f"exit {result.returncode} (expected {expect}) for {args[:1]}"
        return result

    def assert_clean(self, needles: list[str], raw_keys: list[bytes], homes: list[Path]) -> None:
        hits = []
        for run in self.runs:
            for stream, text in (("stdout", run.stdout), ("stderr", run.stderr)):
                for needle in needles:
                    if needle and needle in text:
                        hits.append(f"{stream} of `ferry {run.argv[1]} …`: {needle[:6]}…")
        for home in homes:
            hits += files_containing(home, needles)
            for path in home.rglob("*"):
                if path.is_file():
                    hits += [f"{path}: raw key bytes" for key in raw_keys if key in path.read_bytes()]
        assert not hits, "secrets leaked:\n" + "\n".join(hits)


def test_no_secret_in_output_or_ferry_home(start_emulator, dataset, tmp_path):
    emulator = start_emulator("--bearer-token", BEARER)
    transcript = Transcript()
    homes = []

    def home(name: str, env: dict) -> Ferry:
        ferry = ferry_for(tmp_path, name=name, env=env)
        homes.append(ferry.home)
        return ferry

    # 1. SAS in the URL: up (text and JSON, debug logging), down, jobs list/show.
    sas_container = new_container(emulator, prefix="sas").container_name
    sas = container_sas(emulator, sas_container, permission="racwdl")
    sas_url = container_url(emulator, sas_container, sas)
    with_sas = home("home-sas", {})
    transcript.run(with_sas, "copy", str(dataset), sas_url, "--recursive", "--block-size-mb", "1")
    up = transcript.run(with_sas, "copy", str(dataset), sas_url, "--recursive", "--block-size-mb", "1",
                        "--output-type", "json", "--log-level", "debug")
    down = tmp_path / "down-sas"
    down.mkdir()
    src_url = container_url(emulator, f"{sas_container}/secret-dataset", sas)
    transcript.run(with_sas, "copy", src_url, str(down), "--recursive", "--block-size-mb", "1",
                   "--output-type", "json", "--log-level", "debug")
    transcript.run(with_sas, "copy", src_url, str(down), "--recursive", "--dry-run")
    transcript.run(with_sas, "jobs", "list")
    transcript.run(with_sas, "jobs", "show", up.job_id)
    transcript.run(with_sas, "jobs", "show", up.job_id, "--output-type", "json")

    # 2. SAS job interrupted with Ctrl-C and resumed with a fresh SAS URL (--destination).
    with_sas_resume = home("home-sas-resume", {})
    write_random_file(tmp_path / "slow" / "slow.bin", 24 * MiB, 63)
    emulator.reset_stats()  # count only this copy's blocks
    process = with_sas_resume.start("copy", str(tmp_path / "slow" / "slow.bin"), container_url(emulator, f"{sas_container}/slow.bin", sas),
                                    "--block-size-mb", "1", "--cap-mbps", "48", "--concurrency", "2", "--output-type", "json",
                                    "--log-level", "debug")
    wait_until(lambda: len(emulator.stats()["putBlocks"]) >= 4 or process.poll() is not None, what="some blocks")
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 2
    stdout, stderr = with_sas_resume.background_output()
    transcript.runs.append(FerryRun(["ferry", "copy(background)"], 2, stdout, stderr))
    job = only_job_id(with_sas_resume.home)
    # The SAS was not stored: resuming without a fresh one is an authentication failure (3).
    transcript.run(with_sas_resume, "jobs", "resume", job, expect=3)
    fresh_sas = container_sas(emulator, sas_container, permission="racwdl")
    transcript.run(with_sas_resume, "jobs", "resume", job, "--destination",
                   container_url(emulator, f"{sas_container}/slow.bin", fresh_sas), "--output-type", "json")

    # 3. Account key from the environment, 4. connection string, 5. bearer token.
    key_container = new_container(emulator, prefix="key").container_name
    for name, env in (("home-key", key_env(emulator)), ("home-connection", connection_string_env(emulator)),
                      ("home-bearer", {"AZURE_STORAGE_TOKEN": BEARER})):
        ferry = home(name, env)
        target = f"{emulator.url}/{key_container}/{name}"
        transcript.run(ferry, "copy", str(dataset), target, "--recursive", "--block-size-mb", "1",
                       "--output-type", "json", "--log-level", "debug")
        back = tmp_path / f"down-{name}"
        back.mkdir()
        transcript.run(ferry, "copy", f"{target}/secret-dataset", str(back), "--recursive", "--output-type", "json")
        assert (back / "secret-dataset" / "big.bin").read_bytes() == (dataset / "big.bin").read_bytes(), name

    # 5b. Bearer token from --bearer-token-file (the path is not secret; its content is).
    token_file = tmp_path / "token.txt"
    token_file.write_text(BEARER + "\n")
    ferry = home("home-bearer-file", {})
    transcript.run(ferry, "copy", str(dataset), f"{emulator.url}/{key_container}/from-file", "--recursive",
                   "--bearer-token-file", str(token_file), "--output-type", "json", "--log-level", "debug")

    # 6. Failing credentials: a wrong key, a wrong bearer token, a SAS signed with the wrong key.
    wrong_sas = account_sas(emulator, account_key=WRONG_KEY)
    failing = (
        ("home-wrong-key", {"AZURE_STORAGE_ACCOUNT": emulator.account, "AZURE_STORAGE_KEY": WRONG_KEY},
         f"{emulator.url}/{key_container}/x"),
        ("home-wrong-token", {"AZURE_STORAGE_TOKEN": WRONG_TOKEN}, f"{emulator.url}/{key_container}/x"),
        ("home-wrong-sas", {}, container_url(emulator, f"{key_container}/x", wrong_sas)),
    )
    for name, env, url in failing:
        ferry = home(name, env)
        for output in ("text", "json"):
            transcript.run(ferry, "copy", str(dataset), url, "--recursive", "--output-type", output,
                           "--log-level", "debug", expect=3)

    needles = []
    for secret in (sas_signature(sas), sas_signature(fresh_sas), sas_signature(wrong_sas), emulator.key, WRONG_KEY,
                   BEARER, WRONG_TOKEN):
        needles += needle_forms(secret)
    transcript.assert_clean(needles, [base64.b64decode(emulator.key), base64.b64decode(WRONG_KEY)], homes)
    for ferry_home in homes:  # job records are private: folders 0700, files 0600
        for path in [ferry_home, *ferry_home.rglob("*")]:
            mode = path.stat().st_mode & 0o777
            assert mode == (0o700 if path.is_dir() else 0o600), f"{path} has mode {oct(mode)}"
    assert service_client(emulator).get_container_client(sas_container).get_blob_client("slow.bin") \
        .download_blob().readall() == (tmp_path / "slow" / "slow.bin").read_bytes()
