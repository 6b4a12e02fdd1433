"""Fidelity: state survives a clean stop (SIGTERM) and a crash (SIGKILL) on the same --location —
committed content, metadata, and the uncommitted block list."""
from __future__ import annotations

import pytest
from azure.storage.blob import BlobBlock

from ferry_live.blobs import new_container, service_client
from ferry_live.files import random_bytes

MiB = 1 << 20


def write_state(emulator) -> dict:
    container = new_container(emulator, max_single_put_size=1 * MiB, max_block_size=1 * MiB)
    blobs = {
        "small.bin": random_bytes(1000, 1),
        "nested/dir/staged upload ✓.bin": random_bytes(5 * MiB + 7, 2),
        "empty.bin": b"",
    }
    for name, data in blobs.items():
        container.upload_blob(name, data, metadata={"source": name.split("/")[-1][:5].strip()}, max_concurrency=4)
    container.get_blob_client("small.bin").set_blob_metadata({"after": "set-metadata"})

    pending = container.get_blob_client("pending.bin")
    pending.stage_block("block-1", b"first staged block")
    pending.stage_block("block-2", random_bytes(3 * MiB, 3))

    half = container.get_blob_client("half-committed.bin")
    half.stage_block("c1", b"committed part")
    half.commit_block_list([BlobBlock("c1")])
    half.stage_block("u1", b"uncommitted part")
    return {"container": container.container_name, "blobs": blobs}


def assert_state(emulator, state: dict) -> None:
    container = service_client(emulator).get_container_client(state["container"])
    for name, data in state["blobs"].items():
        blob = container.get_blob_client(name)
        assert blob.download_blob().readall() == data, f"{name}: content lost"
    assert container.get_blob_client("small.bin").get_blob_properties().metadata == {"after": "set-metadata"}
    staged_meta = container.get_blob_client("nested/dir/staged upload ✓.bin").get_blob_properties().metadata
    assert staged_meta == {"source": "stage"}

    committed, uncommitted = container.get_blob_client("pending.bin").get_block_list("all")
    assert committed == []
    assert [(b.id, b.size) for b in uncommitted] == [("block-1", 18), ("block-2", 3 * MiB)]

    half = container.get_blob_client("half-committed.bin")
    committed, uncommitted = half.get_block_list("all")
    assert [(b.id, b.size) for b in committed] == [("c1", 14)]
    assert [(b.id, b.size) for b in uncommitted] == [("u1", 16)]
    assert half.download_blob().readall() == b"committed part"

    # The staged blocks are still usable after the restart.
    container.get_blob_client("pending.bin").commit_block_list([BlobBlock("block-2"), BlobBlock("block-1")])
    assert container.get_blob_client("pending.bin").download_blob().readall() == \
        random_bytes(3 * MiB, 3) + b"first staged block"


def test_state_survives_sigterm(emulator):
    state = write_state(emulator)
    exit_code = emulator.restart()
    assert exit_code == 0, f"SIGTERM must stop the emulator cleanly; exit {exit_code}\n{emulator.stderr_tail()}"
    assert_state(emulator, state)


def test_state_survives_kill_9(emulator):
    state = write_state(emulator)
    emulator.restart(hard=True)
    assert_state(emulator, state)


@pytest.mark.parametrize("hard", [False, True], ids=["sigterm", "kill-9"])
def test_containers_survive_restart(emulator, hard):
    service = service_client(emulator)
    service.create_container("kept-container", metadata={"k": "v"})
    emulator.restart(hard=hard)
    service = service_client(emulator)
    assert "kept-container" in [c.name for c in service.list_containers()]
    assert service.get_container_client("kept-container").get_container_properties().metadata == {"k": "v"}
