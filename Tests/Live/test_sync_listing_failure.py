"""A source listing that fails part-way must delete nothing, even with `--delete-destination true`.

Azure source: more than one List Blobs page (Ferry asks for 5000 a page), and the emulator's
fault injection answers 503 to every List Blobs after the ones a full listing of the same source
needed minus one — the last page fails, the first was served (Ferry retries with backoff first,
~30 s). Local source: a subdirectory nobody may read; tests run as root, which ignores
permissions, so that ferry runs as user `nobody` (setpriv) in a directory it owns.
"""
from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from ferry_live.blobs import new_container
from ferry_live.ferry_cli import Ferry, ferry_binary, key_env
from ferry_live.sync_sides import AzureSide, LocalSide

PAGE = 5000


@pytest.mark.slow  # 5010 objects: Ferry lists 5000 a page and has no knob for smaller pages
def test_azure_listing_failing_on_its_second_page_deletes_nothing(emulator, tmp_path):
    container = new_container(emulator, prefix="listfail").container_name
    seed = LocalSide(tmp_path / "seed" / "src")
    for i in range(PAGE + 10):
        seed.put(f"f-{i:05d}.txt", f"{i}".encode(), mtime=1_700_000_000)
    ferry = Ferry(tmp_path / "ferry-home", key_env(emulator))
    ferry.run("copy", str(seed.root), f"{emulator.url}/{container}", "--recursive", timeout=600)  # set-up only
    src = AzureSide(emulator, container, "src")
    assert len(src.names()) == PAGE + 10
    dst = LocalSide(tmp_path / "dst")
    shutil.copytree(seed.root, dst.root, dirs_exist_ok=True)  # the same files, the same mtimes

    emulator.reset_stats()
    noop = ferry.run("sync", src.url, dst.url, "--output-type", "json", timeout=600)
    requests = emulator.stats()["requests"]
    full_listing = requests.get("ListBlobs", 0)
    assert full_listing >= 2, f"a {PAGE + 10}-blob source was listed in {full_listing} List Blobs requests"
    assert requests.get("GetBlob", 0) == 0, f"an in-sync destination was downloaded again: {requests}"
    assert noop.event("end")["filesDone"] == 0, noop.describe()

    for name in ("f-00000.txt", "f-05009.txt"):  # one on each page; 5008 left: still two pages
        src.remove(name)
    dst.put("0000-extra.txt", b"only at the destination")
    snapshot = dst.snapshot()

    emulator.reset_stats()
    emulator.set_faults([f"busy:ops=ListBlobs,after={full_listing - 1}"])
    failed = ferry.run("sync", src.url, dst.url, "--delete-destination", "true", "--output-type", "json",
                       expect=None, timeout=600)
    stats = emulator.stats()
    emulator.clear_faults()
    assert stats["faultsInjected"] >= 1, "the fault never fired: the listing did not reach its last page"
    assert stats["requests"].get("ListBlobs", 0) >= full_listing, stats["requests"]
    assert failed.returncode != 0, failed.describe()  # the contract names no code for this; any failure
    assert "error" in failed.stderr, failed.describe()
    assert not [e for e in failed.events if e.get("type") == "deleted"], failed.describe()
    vanished = sorted(set(snapshot) - set(dst.snapshot()))
    assert not vanished, f"files deleted after a failed listing: {vanished}"


def test_unreadable_local_subdirectory_deletes_nothing(emulator, tmp_path):
    nobody = pwd.getpwnam("nobody")
    binary = Path(ferry_binary())
    assert os.access(binary, os.X_OK)
    work = Path(tempfile.mkdtemp(prefix="ferry-sync-nobody-", dir="/tmp"))
    try:
        os.chmod(work, 0o755)
        src = LocalSide(work / "src")
        for path in ("a/one.txt", "locked/two.txt", "z/three.txt"):
            src.put(path, path.encode())
        home = work / "ferry-home"
        home.mkdir()
        for dirpath, dirs, files in os.walk(work):
            for name in [*dirs, *files, "."]:
                os.chown(Path(dirpath) / name, nobody.pw_uid, nobody.pw_gid)
        container = new_container(emulator, prefix="locked").container_name
        dst = AzureSide(emulator, container, "dst")
        run_as_nobody = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
        env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "FERRY_HOME": str(home), **key_env(emulator)}
        assert runnable_by(binary, nobody.pw_uid), f"{binary} is not reachable for user nobody"

        first = subprocess.run([*run_as_nobody, str(binary), "sync", src.url, dst.url], env=env,
                               capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
        assert first.returncode == 0, first.stderr
        assert sorted(dst.names()) == ["a/one.txt", "locked/two.txt", "z/three.txt"]

        (src.root / "a/one.txt").unlink()
        os.chmod(src.root / "locked", 0)
        probe = subprocess.run([*run_as_nobody, "ls", str(src.root / "locked")], capture_output=True)
        assert probe.returncode != 0, "user nobody can still read the locked directory"
        emulator.reset_stats()
        failed = subprocess.run([*run_as_nobody, str(binary), "sync", src.url, dst.url, "--delete-destination",
                                 "true"], env=env, capture_output=True, text=True, timeout=300,
                                stdin=subprocess.DEVNULL)
        assert failed.returncode != 0, f"exit {failed.returncode}: {failed.stdout[-2000:]}{failed.stderr[-2000:]}"
        assert "error" in failed.stderr, failed.stderr
        assert emulator.stats()["requests"].get("DeleteBlob", 0) == 0, emulator.stats()["requests"]
        assert sorted(dst.names()) == ["a/one.txt", "locked/two.txt", "z/three.txt"], "deleted after a failed listing"
    finally:
        for dirpath, dirs, _files in os.walk(work):
            for name in dirs:
                os.chmod(Path(dirpath) / name, 0o755)
        shutil.rmtree(work, ignore_errors=True)


def runnable_by(binary: Path, uid: int) -> bool:
    """Every directory above the binary lets others through (the binary is run as `uid`)."""
    for parent in binary.resolve().parents:
        mode = parent.stat().st_mode
        if parent.stat().st_uid != uid and not mode & stat.S_IXOTH:
            return False
    return bool(binary.resolve().stat().st_mode & stat.S_IXOTH)
