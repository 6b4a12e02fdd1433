"""The one-node Slurm cluster of the live tests (ferry_live/slurm.py), started from Debian's packages:
a 4-task job array whose tasks see their own SLURM_ARRAY_TASK_ID and the array's size and run the
installed `ferry` (statically linked: the job's environment has no Swift toolchain); a failing task is
reported with its exit code; a daemon that does not start fails with its log, and none is left running.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ferry_live.install import INSTALL_TIMEOUT_SECONDS
from ferry_live.slurm import SlurmCluster, SlurmStartError

pytestmark = pytest.mark.timeout(INSTALL_TIMEOUT_SECONDS + 600)  # the installed_ferry build, first time

TASK_SCRIPT = """#!/bin/bash
set -euo pipefail
printf '%s %s\\n' "$SLURM_ARRAY_TASK_ID" "$SLURM_ARRAY_TASK_COUNT" > "$OUT/task-$SLURM_ARRAY_TASK_ID.ids"
"$FERRY" --version > "$OUT/task-$SLURM_ARRAY_TASK_ID.version"
"""


def test_a_four_task_array_runs_the_installed_ferry_once_per_task(slurm, installed_ferry: Path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    script = tmp_path / "task.sh"
    script.write_text(TASK_SCRIPT)
    job = slurm.run_array(script, array="0-3", env={"OUT": str(out), "FERRY": str(installed_ferry / "ferry")},
                          output_dir=tmp_path / "logs", timeout=300)

    assert sorted(job.tasks) == [0, 1, 2, 3], job.describe()
    assert all(task.succeeded for task in job.tasks.values()), job.describe()
    ids = sorted(tuple(map(int, p.read_text().split())) for p in out.glob("task-*.ids"))
    assert ids == [(0, 4), (1, 4), (2, 4), (3, 4)], job.describe()
    version = subprocess.run([str(installed_ferry / "ferry"), "--version"], capture_output=True, text=True).stdout
    assert version.strip()
    assert [p.read_text() for p in sorted(out.glob("task-*.version"))] == [version] * 4, job.describe()


def test_a_failing_task_is_reported_with_its_exit_code(slurm, tmp_path):
    script = tmp_path / "task.sh"
    script.write_text('#!/bin/bash\necho "task $SLURM_ARRAY_TASK_ID"\n[ "$SLURM_ARRAY_TASK_ID" != 1 ] || exit 7\n')
    job = slurm.run_array(script, array="0-2", output_dir=tmp_path / "logs", timeout=300)
    states = {index: (task.state, task.exit_code, task.succeeded) for index, task in job.tasks.items()}
    assert states == {0: ("COMPLETED", 0, True), 1: ("FAILED", 7, False), 2: ("COMPLETED", 0, True)}, job.describe()
    assert job.tasks[2].output == "task 2\n"


def test_a_daemon_that_does_not_start_raises_with_its_log_and_leaves_none_running():
    started: list[subprocess.Popen] = []

    class MisconfiguredCluster(SlurmCluster):
        def _write_conf(self) -> None:
            super()._write_conf()
            with open(self.conf_path, "a") as conf:
                conf.write("NoSuchSlurmOption=1\n")

        def _start(self, name: str, argv: list[str]) -> None:
            super()._start(name, argv)
            started.append(self.daemons[-1].process)

    cluster = MisconfiguredCluster()
    with pytest.raises(SlurmStartError) as raised:
        cluster.start()
    message = str(raised.value)
    assert "slurmctld exited" in message and "NoSuchSlurmOption" in message, message
    assert started and all(process.poll() is not None for process in started)  # munged too
    assert cluster.root is None  # its directory is gone
