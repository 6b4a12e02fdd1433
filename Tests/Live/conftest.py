"""Fixtures for the live tests: a real `ferry-emulator` per test (or per module), AzCopy, data.

Later Ferry CLI tests reuse these: `emulator` gives a fresh server on a fresh location;
`start_emulator(*args)` starts one with extra flags (faults, seeds); `azcopy` runs AzCopy.
A server that does not start fails the test; nothing here skips.
"""
from __future__ import annotations

import shutil

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ferry_live.azcopy import AzCopy
from ferry_live.emulator import EmulatorProcess


def _launch(root: Path, extra_args: list[str]) -> EmulatorProcess:
    return EmulatorProcess(location=root / "location", log_dir=root / "logs").start(extra_args)


@pytest.fixture
def start_emulator(tmp_path: Path) -> Iterator[Callable[..., EmulatorProcess]]:
    """Factory: `start_emulator("--fault", "busy")` → a running emulator; all stopped at the end."""
    started: list[EmulatorProcess] = []

    def start(*extra_args: str) -> EmulatorProcess:
        process = _launch(tmp_path / f"emulator-{len(started)}", list(extra_args))
        started.append(process)
        return process

    yield start
    for process in started:
        process.stop()
        shutil.rmtree(process.location, ignore_errors=True)  # big tests leave GiBs behind


@pytest.fixture
def emulator(start_emulator: Callable[..., EmulatorProcess]) -> EmulatorProcess:
    """A fresh emulator on an empty location, for one test."""
    return start_emulator()


@pytest.fixture(scope="module")
def module_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    """One emulator shared by a module's tests (for costly set-ups such as 5000-blob listings)."""
    process = _launch(tmp_path_factory.mktemp("module-emulator"), [])
    yield process
    process.stop()
    shutil.rmtree(process.location, ignore_errors=True)


@pytest.fixture
def azcopy(tmp_path: Path) -> AzCopy:
    return AzCopy(tmp_path / "azcopy")


_figures: list[str] = []


@pytest.fixture
def report_figure(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Records a measured figure (e.g. peak RSS); all are printed at the end of the run."""
    def report(line: str) -> None:
        _figures.append(f"{request.node.name}: {line}")
        print(line)
    return report


_summary_lines: list[str] = []


@pytest.fixture
def report_summary_line() -> Callable[[str], None]:
    """Records a suite's one summary line (e.g. the fault suite's); printed verbatim at the end."""
    def report(line: str) -> None:
        _summary_lines.append(line)
        print(line)
    return report


def pytest_terminal_summary(terminalreporter) -> None:
    for line in _summary_lines:
        terminalreporter.write_line(line)
    if _figures:
        terminalreporter.section("ferry figures")
        for line in _figures:
            terminalreporter.write_line(line)


@pytest.fixture
def seaweed(tmp_path: Path) -> Iterator["SeaweedProcess"]:
    """A fresh SeaweedFS S3 server (bucket `ferry`) for one test; fails the test if it cannot start."""
    from ferry_live.seaweed import SeaweedProcess
    process = SeaweedProcess(tmp_path / "seaweed").start()
    yield process
    process.stop()
    shutil.rmtree(process.root, ignore_errors=True)


@pytest.fixture
def slurm() -> Iterator["SlurmCluster"]:
    """A one-node Slurm cluster (munged, slurmctld, slurmd) for one test, stopped by PID afterwards;
    fails the test with the daemons' log tails if it does not come up."""
    from ferry_live.slurm import SlurmCluster
    cluster = SlurmCluster()
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def installed_ferry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`scripts/install PREFIX` into a temporary PREFIX, once per session; returns PREFIX/bin.

    The release build lives in the checkout's .build/install, so a later session's run is
    incremental; a clean clone's first build takes minutes (tests using this set a long timeout).
    """
    from ferry_live.install import run_install
    prefix = tmp_path_factory.mktemp("install") / "prefix"
    return run_install(prefix).bin
