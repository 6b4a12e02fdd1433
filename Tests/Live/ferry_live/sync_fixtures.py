"""Module-scoped servers for the sync tests (import the fixtures into a test module).

One emulator and one SeaweedFS (with its metrics endpoint) serve a whole module; every test gets
its own container / prefixes, so tests never see each other's objects. Server counters are read
as differences around one ferry run (tests run one after the other).
"""
from __future__ import annotations

import shutil

import pytest

from .sync_pairs import make_pair
from .sync_sides import MeteredSeaweed


@pytest.fixture(scope="module")
def metered_seaweed(tmp_path_factory):
    process = MeteredSeaweed(tmp_path_factory.mktemp("metered-seaweed")).start()
    yield process
    process.stop()
    shutil.rmtree(process.root, ignore_errors=True)


@pytest.fixture
def pair(request, tmp_path, module_emulator, metered_seaweed):
    """A fresh source and destination for the test's `direction` parameter."""
    return make_pair(request.param, tmp_path, module_emulator, metered_seaweed)
