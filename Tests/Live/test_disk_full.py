"""A download onto a disk that fills up, and onto a read-only file system.

On a small file system the test owns (8 MiB tmpfs, or a loop-mounted image; skipped only where
this environment allows no mount at all), with a filler file the test placed:
- a download whose total exceeds the free space: every file that fits arrives intact, the one
  that does not is named (its destination path) in one `failed:` line with the cause, the run
  exits 1 ("some files failed"), and nothing lies under a final name with wrong bytes;
- after the filler is deleted, `ferry jobs resume ID` completes and every file is byte-identical,
  with no hidden partial file left behind.
A read-only destination names the file it could not create.
Bytes are checked with direct file reads against what Microsoft's SDK uploaded.
"""
from __future__ import annotations

from pathlib import Path

from ferry_live.blobs import new_container
from ferry_live.ferry_cli import ferry_for, only_job_id
from ferry_live.files import random_bytes
from ferry_live.small_fs import files_under, remount_read_only, small_filesystem

KiB, MiB = 1 << 10, 1 << 20
FS_MIB = 8
FILLER = 3 * MiB           # leaves 5 MiB: the small files fit, big.bin (6 MiB) does not
SMALL = [(f"set/small-{i}.bin", 96 * KiB + i * 1000) for i in range(8)]
BIG = ("set/big.bin", 6 * MiB + 123)


def upload(container, files: list[tuple[str, int]], seed: int) -> dict[str, bytes]:
    expected = {}
    for number, (name, size) in enumerate(files):
        data = random_bytes(size, seed + number)
        container.upload_blob(name, data, overwrite=True)
        expected[name] = data
    return expected


def test_disk_full_fails_only_the_file_that_does_not_fit_and_resumes_after_space_is_freed(emulator, tmp_path):
    container = new_container(emulator, prefix="diskfull")
    expected = upload(container, SMALL + [BIG], 900)
    ferry = ferry_for(tmp_path, emulator)
    with small_filesystem(tmp_path / "small-fs", FS_MIB) as disk:
        filler = disk / "filler.bin"
        filler.write_bytes(b"\xa5" * FILLER)
        target = disk / "down"
        target.mkdir()
        source = f"{emulator.url}/{container.container_name}/set"
        run = ferry.run("copy", source, str(target), "--recursive", "--block-size-mb", "1",
                        "--concurrency", "4", expect=None)

        assert run.returncode == 1, "a disk-full file is a failed file (exit 1): " + run.describe()
        big_path = target / BIG[0]
        failed_lines = [line for line in run.stderr.splitlines() if "No space left on device" in line]
        assert len(failed_lines) == 1, f"one line for the file that did not fit: {run.describe()}"
        assert str(big_path) in failed_lines[0], f"the line names the destination file: {failed_lines[0]!r}"
        assert "(new file)" not in run.stderr and ".ferry-partial" not in run.stderr, run.stderr

        present = files_under(target)
        for name, data in expected.items():
            if name in present:
                assert present[name] == data, f"{name} lies under its final name with wrong bytes"
        assert BIG[0] not in present, "the file that did not fit must not appear under its name"
        arrived = [name for name, _size in SMALL if name in present]
        assert arrived == [name for name, _size in SMALL], \
            f"files that fit must arrive (got {arrived}): {run.describe()}"
        leftovers = sorted(set(present) - set(expected))
        assert not leftovers, f"nothing but final files after the run: {leftovers}"

        filler.unlink()
        job = only_job_id(ferry.home)
        resumed = ferry.run("jobs", "resume", job, expect=None)
        assert resumed.returncode == 0, resumed.describe()
        assert files_under(target) == expected, "after the resume every file is byte-identical, nothing else"


def test_disk_full_small_files_fail_one_by_one_each_named(emulator, tmp_path):
    """Files small enough to be written whole (no space reserved up front): those that fit
    arrive, each one that hits the full disk is its own named failure, the rest go on; after
    space is freed the resume brings every file."""
    container = new_container(emulator, prefix="diskfullsmall")
    files = [(f"many/f-{i:02d}.bin", 600 * KiB + i) for i in range(12)]  # 7 MiB; 5 MiB free
    expected = upload(container, files, 700)
    ferry = ferry_for(tmp_path, emulator)
    with small_filesystem(tmp_path / "small-fs", FS_MIB) as disk:
        filler = disk / "filler.bin"
        filler.write_bytes(b"\x5a" * FILLER)
        target = disk / "down"
        target.mkdir()
        run = ferry.run("copy", f"{emulator.url}/{container.container_name}/many", str(target), "--recursive",
                        "--concurrency", "4", expect=None)
        assert run.returncode == 1, run.describe()
        present = files_under(target)
        for name, data in present.items():
            assert expected.get(name) == data, f"{name} lies under a final name with wrong bytes"
        missing = sorted(set(expected) - set(present))
        assert len(present) >= 4 and missing, f"some files fit, some not: {sorted(present)}"
        full_lines = [line for line in run.stderr.splitlines() if "No space left on device" in line]
        for name in missing:
            named = [line for line in full_lines if str(target / name) in line]
            assert len(named) == 1, f"one line naming {name}: {run.describe()}"
        assert "(new file)" not in run.stderr, run.stderr

        filler.unlink()
        resumed = ferry.run("jobs", "resume", only_job_id(ferry.home), expect=None)
        assert resumed.returncode == 0, resumed.describe()
        assert files_under(target) == expected


def test_read_only_destination_names_the_file(emulator, tmp_path):
    container = new_container(emulator, prefix="readonly")
    expected = upload(container, [("one.bin", 40 * KiB)], 950)
    ferry = ferry_for(tmp_path, emulator)
    with small_filesystem(tmp_path / "ro-fs", 4) as disk:
        (disk / "down").mkdir()
        remount_read_only(disk)
        destination = disk / "down" / "one.bin"
        run = ferry.run("copy", f"{emulator.url}/{container.container_name}/one.bin", str(destination),
                        expect=None)
        assert run.returncode not in (0, 64), run.describe()
        lines = [line for line in run.stderr.splitlines() if "Read-only file system" in line]
        assert lines and str(destination) in lines[0], run.describe()
        assert not destination.exists()
        assert len(expected) == 1
