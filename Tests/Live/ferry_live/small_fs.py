"""A small file system a test owns (for disk-full and read-only tests).

`small_filesystem(path, size_mib)` mounts a tmpfs of that size at `path`; where mounts of tmpfs
are refused it tries an ext4 image on a loop device; where neither is possible (an unprivileged
container) the test is skipped with the reason — the only environment where these tests skip.
Always unmounted at the end, even when the test fails.
"""
from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(argv), capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)


def _try_tmpfs(path: Path, size_mib: int) -> str | None:
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size_mib}m,mode=0755", "tmpfs", str(path))
    return None if done.returncode == 0 else f"mount -t tmpfs: {done.stderr.strip() or done.returncode}"


def _try_loop(path: Path, image: Path, size_mib: int) -> str | None:
    with open(image, "wb") as out:
        out.truncate(size_mib << 20)
    made = _run("mkfs.ext4", "-q", "-F", "-m", "0", str(image))
    if made.returncode != 0:
        return f"mkfs.ext4: {made.stderr.strip() or made.returncode}"
    done = _run("mount", "-o", "loop", str(image), str(path))
    return None if done.returncode == 0 else f"mount -o loop: {done.stderr.strip() or done.returncode}"


@contextlib.contextmanager
def small_filesystem(path: Path, size_mib: int) -> Iterator[Path]:
    """Mounts a `size_mib` MiB file system at `path` (tmpfs, else a loop-mounted ext4 image)."""
    path.mkdir(parents=True, exist_ok=True)
    reasons = []
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (tests run as uid %d)" % os.geteuid())
    why = _try_tmpfs(path, size_mib)
    if why is not None:
        reasons.append(why)
        why = _try_loop(path, path.parent / (path.name + ".img"), size_mib)
        if why is not None:
            reasons.append(why)
            pytest.skip("this environment allows no mounts: " + "; ".join(reasons))
    try:
        yield path
    finally:
        done = _run("umount", str(path))
        if done.returncode != 0:
            _run("umount", "-l", str(path))


def remount_read_only(path: Path) -> None:
    done = _run("mount", "-o", "remount,ro", str(path))
    assert done.returncode == 0, f"remount read-only failed: {done.stderr}"


def files_under(root: Path) -> dict[str, bytes]:
    """Relative path → bytes of every regular file under `root` (hidden ones included)."""
    found = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            full = Path(dirpath) / name
            found[full.relative_to(root).as_posix()] = full.read_bytes()
    return found
