"""A real one-node Slurm cluster (Debian's munged, slurmctld and slurmd) for the live tests.

`SlurmCluster.start()` writes a munge key and a `slurm.conf` under a fresh directory, starts the three
daemons in the foreground as children of this process, and waits until `sinfo` shows the node idle;
`submit` / `wait` / `run_array` run jobs and job arrays through `sbatch` and `squeue`; `stop()` cancels
what is left and ends the three daemons by PID, always. A daemon that does not start raises
`SlurmStartError` with its log tail: a failure, never a skip. Not thread-safe: one test drives it.

The cluster's directory is made under /tmp (or `$FERRY_SLURM_TMP`) with mode 0755 rather than under
pytest's tmp_path: munge's socket directory and each of its parents must be world-executable, and
pytest's base directory is 0700. The daemons take free loopback ports, so two runs at once do not meet.
They run as root (`SlurmUser=root`), as the tests and CI do; jobs run as the submitting user.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

START_TIMEOUT_SECONDS = 30
DAEMON_STOP_SECONDS = 10
TERMINAL_STATES = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY",
                   "PREEMPTED", "BOOT_FAIL", "DEADLINE"}


class SlurmStartError(AssertionError):
    """munged, slurmctld or slurmd did not start, or the node never became idle (never a skip)."""


def slurm_tool(name: str) -> str:
    """The absolute path of a Slurm or munge program; fails with how to install it when absent."""
    for directory in ("/usr/sbin", "/usr/bin", "/sbin", "/bin"):
        candidate = Path(directory) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SlurmStartError(f"{name} not found (Debian packages slurmctld slurmd slurm-client munge; "
                              "scripts/install-test-deps installs them)")
    return found


def slurm_time(text: str | None) -> datetime | None:
    """`2026-12-05T12:21:20` as scontrol prints it; None for `Unknown` or `None`."""
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_count() -> int:
    """CPUs this process may use (what slurmd will find); more in slurm.conf would drain the node."""
    return len(os.sched_getaffinity(0))


@dataclass
class ArrayTask:
    """One task of a finished job array, as `scontrol show job` reports it."""

    index: int
    state: str
    exit_code: int
    signal: int
    output: str  # the task's --output file (stdout and stderr)
    start: datetime | None = None  # when it started and ended (Slurm's clock, to the second)
    end: datetime | None = None

    @property
    def succeeded(self) -> bool:
        return self.state == "COMPLETED" and self.exit_code == 0 and self.signal == 0


@dataclass
class ArrayJob:
    """A finished job's tasks by index (a job that is no array: one task, index 0)."""

    job_id: str
    tasks: dict[int, ArrayTask]

    def describe(self) -> str:
        lines = [f"job array {self.job_id}:"]
        for index, task in sorted(self.tasks.items()):
            lines.append(f"--- task {index}: {task.state} exit {task.exit_code}:{task.signal}\n{task.output[-3000:]}")
        return "\n".join(lines)


@dataclass
class Daemon:
    name: str
    process: subprocess.Popen
    log_path: Path


@dataclass
class SlurmCluster:
    """munged + slurmctld + slurmd for the node `localhost`, all under `root` (made if None)."""

    root: Path | None = None
    cpus: int = field(default_factory=cpu_count)
    daemons: list[Daemon] = field(default_factory=list)
    owns_root: bool = False
    _outputs: dict[str, Path] = field(default_factory=dict)  # job ID → its tasks' output folder

    # --- paths ---------------------------------------------------------------------------------
    @property
    def conf_path(self) -> Path:
        return self._root / "slurm.conf"

    @property
    def munge_socket(self) -> Path:
        return self._root / "munge" / "munge.socket"

    @property
    def log_dir(self) -> Path:
        return self._root / "log"

    @property
    def _root(self) -> Path:
        assert self.root is not None, "the cluster has no directory yet (start it first)"
        return self.root

    @property
    def env(self) -> dict[str, str]:
        """What `sinfo`, `sbatch`, `squeue` and `scontrol` need to find this cluster."""
        return {"SLURM_CONF": str(self.conf_path)}

    # --- life cycle ----------------------------------------------------------------------------
    def start(self) -> "SlurmCluster":
        """Starts the three daemons and waits until the node is idle (30 s, else SlurmStartError)."""
        assert not self.daemons, "cluster already started"
        if self.root is None:
            base = os.environ.get("FERRY_SLURM_TMP", "/tmp")
            self.root = Path(tempfile.mkdtemp(prefix="ferry-slurm-", dir=base))
            self.owns_root = True
        self._root.chmod(0o755)
        for parent in [self._root, *self._root.parents]:
            if not parent.stat().st_mode & 0o001:
                raise SlurmStartError(f"{parent} is not world-executable: munge refuses a socket below it "
                                      "(set FERRY_SLURM_TMP to another directory)")
        for sub in ("munge", "log", "state", "spool", "run", "jobs"):
            (self._root / sub).mkdir(mode=0o755, exist_ok=True)
        try:
            self._start_munged()
            self._write_conf()
            self._start("slurmctld", [slurm_tool("slurmctld"), "-D", "-f", str(self.conf_path)])
            self._start("slurmd", [slurm_tool("slurmd"), "-D", "-f", str(self.conf_path), "-N", "localhost"])
            self._wait_until_idle()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_munged(self) -> None:
        key = self._root / "munge" / "munge.key"
        done = subprocess.run([slurm_tool("mungekey"), "--create", f"--keyfile={key}"],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise SlurmStartError(f"mungekey --create failed ({done.returncode}): {done.stderr.strip()}")
        key.chmod(0o600)
        munge = self._root / "munge"
        self._start("munged", [slurm_tool("munged"), "-F", f"--socket={self.munge_socket}", f"--key-file={key}",
                               f"--pid-file={munge / 'munged.pid'}", f"--seed-file={munge / 'munged.seed'}",
                               f"--log-file={self.log_dir / 'munged.log'}"])
        self._wait_for("munged", lambda: self.munge_socket.is_socket())

    def _write_conf(self) -> None:
        root = self._root
        self.conf_path.write_text("\n".join([
            "# Written by Tests/Live/ferry_live/slurm.py: a one-node cluster for the live tests.",
            "ClusterName=ferry",
            "SlurmctldHost=localhost",
            f"SlurmctldPort={free_port()}",
            f"SlurmdPort={free_port()}",
            "SlurmUser=root",
            "SlurmdUser=root",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            f"AuthInfo=socket={self.munge_socket}",
            f"StateSaveLocation={root / 'state'}",
            f"SlurmdSpoolDir={root / 'spool'}",
            f"SlurmctldPidFile={root / 'run' / 'slurmctld.pid'}",
            f"SlurmdPidFile={root / 'run' / 'slurmd.pid'}",
            f"SlurmctldLogFile={self.log_dir / 'slurmctld.log'}",
            f"SlurmdLogFile={self.log_dir / 'slurmd.log'}",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core",
            "MpiDefault=none",
            "MailProg=/bin/true",
            "ReturnToService=2",
            # Finished jobs stay visible to `scontrol show job` long enough for the test to read them.
            "MinJobAge=600",
            # A job waiting for one that failed is cancelled rather than left pending for ever.
            "DependencyParameters=kill_invalid_depend",
            f"NodeName=localhost CPUs={self.cpus} State=UNKNOWN",
            # Up to four tasks share a core, so an array of four runs at once on a 2-core machine, as on
            # four nodes (each task is I/O-bound ferry).
            "PartitionName=ferry Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4",
            "",
        ]))

    def _start(self, name: str, argv: list[str]) -> None:
        # Each daemon's own stdout/stderr (before it opens its log file) goes to <name>.stderr.
        log_path = self.log_dir / f"{name}.stderr"
        log = open(log_path, "wb")
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", **self.env}, start_new_session=True)
        log.close()
        self.daemons.append(Daemon(name, process, log_path))

    def _wait_for(self, what: str, condition) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            for daemon in self.daemons:
                if daemon.process.poll() is not None:
                    raise SlurmStartError(f"{daemon.name} exited with {daemon.process.returncode} while waiting "
                                          f"for {what}\n{self.log_tails()}")
            if condition():
                return
            time.sleep(0.1)
        raise SlurmStartError(f"{what} not ready within {START_TIMEOUT_SECONDS} s\n{self.log_tails()}")

    def _wait_until_idle(self) -> None:
        def idle() -> bool:
            done = self.command("sinfo", "-h", "-N", "-o", "%N %T", check=False)
            return done.returncode == 0 and done.stdout.split() == ["localhost", "idle"]
        self._wait_for("node localhost idle in sinfo", idle)

    def log_tails(self, lines: int = 25) -> str:
        parts = []
        for name in ("munged.log", "munged.stderr", "slurmctld.log", "slurmctld.stderr", "slurmd.log", "slurmd.stderr"):
            path = self.log_dir / name if self.root is not None else None
            if path is not None and path.exists():
                text = "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
                parts.append(f"--- {name}:\n{text}")
        return "\n".join(parts) or "(no logs)"

    def stop(self) -> None:
        """Always safe: cancels jobs still queued or running, then ends slurmd, slurmctld and munged by
        PID (SIGTERM, SIGKILL after 10 s), and removes the directory it made."""
        if any(d.name == "slurmctld" and d.process.poll() is None for d in self.daemons):
            self.command("scancel", "--full", "--user", "root", check=False, timeout=10)
            deadline = time.monotonic() + DAEMON_STOP_SECONDS
            while time.monotonic() < deadline:
                queued = self.command("squeue", "-h", check=False, timeout=10)
                if queued.returncode != 0 or not queued.stdout.strip():
                    break
                time.sleep(0.2)
        for daemon in reversed(self.daemons):
            if daemon.process.poll() is None:
                daemon.process.send_signal(signal.SIGTERM)
                try:
                    daemon.process.wait(timeout=DAEMON_STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    daemon.process.kill()
                    daemon.process.wait()
        self.daemons = []
        if self.owns_root and self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
            self.owns_root = False

    # --- commands and jobs ---------------------------------------------------------------------
    def command(self, tool: str, *args: str, check: bool = True, timeout: float = 30,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """Runs a Slurm client (`sinfo`, `sbatch`, …) against this cluster."""
        full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root"),
                    **(env or {}), **self.env}
        done = subprocess.run([slurm_tool(tool), *args], capture_output=True, text=True, env=full_env,
                              timeout=timeout, stdin=subprocess.DEVNULL)
        if check and done.returncode != 0:
            raise AssertionError(f"{tool} {' '.join(args)} → {done.returncode}\n{done.stdout}\n{done.stderr}\n"
                                 f"{self.log_tails()}")
        return done

    def submit(self, script: Path, array: str | None = None, env: dict[str, str] | None = None,
               workdir: Path | None = None, output_dir: Path | None = None, after_ok: str | None = None,
               extra_args: list[str] | None = None) -> str:
        """`sbatch --parsable` of `script` with `env` (plus PATH and HOME: the job sees only these and
        Slurm's own variables). `array` (e.g. "0-3") overrides the script's `#SBATCH --array`;
        `after_ok` makes it wait for that job to succeed (`--dependency=afterok:ID`). Every task's
        stdout and stderr go to OUTPUT_DIR/job-<array job ID>_<task ID>.out. Returns the job ID."""
        output_dir = output_dir or self._root / "jobs"
        output_dir.mkdir(parents=True, exist_ok=True)
        job_env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root"), **(env or {})}
        args = ["--parsable", "--export=ALL", f"--chdir={workdir or output_dir}",
                f"--output={output_dir / 'job-%A_%a.out'}"]
        if array is not None:
            args.append(f"--array={array}")
        if after_ok is not None:
            args.append(f"--dependency=afterok:{after_ok}")
        done = self.command("sbatch", *args, *(extra_args or []), str(script), env=job_env)
        job_id = done.stdout.strip().split(";")[0]
        assert re.fullmatch(r"\d+", job_id), f"sbatch did not print a job ID: {done.stdout!r} {done.stderr!r}"
        self._outputs[job_id] = output_dir
        return job_id

    def wait(self, job_id: str, timeout: float = 600) -> ArrayJob:
        """Polls `squeue -h -j ID` until no task is left, then reads each task's state and exit code."""
        deadline = time.monotonic() + timeout
        while True:
            queued = self.command("squeue", "-h", "-j", job_id, "-o", "%i %T", check=False)
            if queued.returncode == 0 and not queued.stdout.strip():
                break
            if queued.returncode != 0 and "Invalid job id" not in queued.stderr:
                raise AssertionError(f"squeue -j {job_id} → {queued.returncode}: {queued.stderr}\n{self.log_tails()}")
            if queued.returncode != 0:
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"job {job_id} still queued or running after {timeout} s:\n{queued.stdout}\n"
                                     f"{self.log_tails()}")
            time.sleep(0.3)
        return self.finished(job_id)

    def finished(self, job_id: str) -> ArrayJob:
        """Each task's final state and exit code, from `scontrol show job -o` (one record per task;
        a job that is no array is one task, index 0)."""
        shown = self.command("scontrol", "show", "job", "-o", job_id)
        tasks: dict[int, ArrayTask] = {}
        output_dir = self._outputs.get(job_id, self._root / "jobs")
        for record in shown.stdout.splitlines():
            fields = dict(re.findall(r"(\w+)=(\S*)", record))
            task_id = fields.get("ArrayTaskId")
            if task_id is not None and not task_id.isdigit():
                raise AssertionError(f"job {job_id}: a record of several array tasks (still pending?): {record}")
            index = int(task_id) if task_id is not None else 0
            code, _, sig = fields.get("ExitCode", "-1:0").partition(":")
            # sbatch's %a is 4294967294 (NO_VAL) for a job that is no array.
            output_path = output_dir / f"job-{job_id}_{task_id if task_id is not None else 4294967294}.out"
            output = output_path.read_text(errors="replace") if output_path.exists() else "(no output file)"
            tasks[index] = ArrayTask(index, fields.get("JobState", "?"), int(code), int(sig or 0), output,
                                     slurm_time(fields.get("StartTime")), slurm_time(fields.get("EndTime")))
        return ArrayJob(job_id, tasks)

    def run_array(self, script: Path, array: str = "0-3", env: dict[str, str] | None = None,
                  workdir: Path | None = None, output_dir: Path | None = None,
                  extra_args: list[str] | None = None, timeout: float = 600) -> ArrayJob:
        """Submits a job array and waits for it; every task's state, exit code and output."""
        job_id = self.submit(script, array, env, workdir, output_dir, extra_args=extra_args)
        return self.wait(job_id, timeout)
