"""`ferry receipt merge` end to end against the emulator: a tree copied in three disjoint parts (three
source folders named `tree`, so every copy lands under `tree/` of one container), the three job receipts
merged; the merged receipt verifies against the container and has the last line of `ferry receipt` of
the container and of the whole tree on local disk. Overlapping or changed inputs are refused, and no
output file is left behind.
"""
from __future__ import annotations

import shutil

from ferry_live.blobs import new_container
from ferry_live.ferry_cli import ferry_for
from test_receipts import TREE, last_line, make_tree, read_receipt

# Three parts that interleave in byte order ('a.txt' < 'a/b.txt' < 'empty.bin' < 'multi-block.bin' …).
PARTS = [
    {name: size for index, (name, size) in enumerate(sorted(TREE.items(), key=lambda i: i[0].encode())) if index % 3 == part}
    for part in range(3)
]


def test_three_job_receipts_merge_into_the_receipt_of_the_whole_tree(emulator, tmp_path):
    assert sum(len(part) for part in PARTS) == len(TREE) and all(PARTS)
    container = new_container(emulator, prefix="merge")
    url = f"{emulator.url}/{container.container_name}"
    ferry = ferry_for(tmp_path, emulator)
    whole = make_tree(tmp_path / "whole" / "tree")
    for index, part in enumerate(PARTS):
        for name in part:  # the same bytes as the whole tree's file (make_tree seeds by position)
            (tmp_path / f"part{index}" / "tree" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(whole / name, tmp_path / f"part{index}" / "tree" / name)
        ferry.run("copy", str(tmp_path / f"part{index}" / "tree"), url, "--recursive", "--block-size-mb", "1")
    job_receipts = sorted((ferry.home / "jobs").glob("*.receipt.jsonl"))
    assert len(job_receipts) == 3, job_receipts

    merged = tmp_path / "merged.jsonl"
    run = ferry.run("receipt", "merge", *map(str, job_receipts), "--output", str(merged))
    assert "Merged 3 receipt(s)" in run.stderr and run.stdout == "", run.describe()
    entries, trailer = read_receipt(merged)
    assert [e["path"] for e in entries] == sorted((f"tree/{n}" for n in TREE), key=lambda n: n.encode())
    assert trailer["files"] == len(TREE) and trailer["bytes"] == sum(TREE.values())

    verify = ferry.run("verify", str(merged), url)
    assert "OK: every file matches" in verify.stdout, verify.describe()
    ferry.run("receipt", url, "--output", str(tmp_path / "remote.jsonl"))
    assert last_line(merged) == last_line(tmp_path / "remote.jsonl")
    # And one machine's receipt of the whole tree on local disk (other mtimes, same last line).
    ferry.run("receipt", str(tmp_path / "whole"), "--output", str(tmp_path / "whole.jsonl"))
    assert last_line(merged) == last_line(tmp_path / "whole.jsonl")

    # `-o -` writes to standard output: the same bytes.
    to_stdout = ferry.run("receipt", "merge", *map(str, job_receipts), "-o", "-")
    assert to_stdout.stdout.encode() == merged.read_bytes()


def test_overlapping_or_changed_inputs_are_refused_with_one_line_and_no_output(emulator, tmp_path):
    ferry = ferry_for(tmp_path, emulator)
    make_tree(tmp_path / "one" / "tree", names=PARTS[0])
    make_tree(tmp_path / "two" / "tree", names={**PARTS[1], "one.txt": 1})
    ferry.run("receipt", str(tmp_path / "one"), "--output", str(tmp_path / "one.jsonl"))
    ferry.run("receipt", str(tmp_path / "two"), "--output", str(tmp_path / "two.jsonl"))
    assert "tree/one.txt" in [e["path"] for e in read_receipt(tmp_path / "one.jsonl")[0]]
    before = sorted(p.name for p in tmp_path.iterdir())

    out = tmp_path / "merged.jsonl"
    run = ferry.run("receipt", "merge", str(tmp_path / "one.jsonl"), str(tmp_path / "two.jsonl"), "-o", str(out), expect=64)
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("error: "), run.describe()
    assert '"tree/one.txt"' in run.stderr and "one.jsonl" in run.stderr and "two.jsonl" in run.stderr, run.describe()
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no output, no temporary file

    changed = tmp_path / "changed.jsonl"
    changed.write_bytes((tmp_path / "two.jsonl").read_bytes().replace(b'"size":1,', b'"size":2,'))
    run = ferry.run("receipt", "merge", str(changed), "-o", str(out), expect=64)
    assert run.stderr.count("\n") == 1 and "changed.jsonl" in run.stderr, run.describe()
    assert not out.exists()

    run = ferry.run("receipt", "merge", "-o", str(out), expect=64)  # no input: a usage error
    assert "at least one receipt" in run.stderr, run.describe()
