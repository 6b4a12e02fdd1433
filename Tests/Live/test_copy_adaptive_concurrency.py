"""Adaptive concurrency against ferry-emulator's 503 ServerBusy answers: Ferry counts every refusal,
slows down for them (`slowdowns` in its NDJSON: cuts of concurrency or pace) and still delivers
byte-identical blobs; `--fixed-concurrency` keeps the ceiling and reports no
governor at all."""
from __future__ import annotations

from ferry_live.blobs import new_container, service_client
from ferry_live.ferry_cli import ferry_for
from ferry_live.files import write_random_file

KiB, MiB = 1 << 10, 1 << 20


def make_tree(root, seed: int):
    write_random_file(root / "big.bin", 6 * MiB + 5, seed)
    for i in range(24):
        write_random_file(root / f"small/{i:02}.bin", 2 * KiB + i, seed + i + 1)
    return root


def busy_refusals(stats: dict) -> int:
    return stats["faultsInjected"]


def test_refusals_lower_concurrency_and_every_byte_arrives(emulator, tmp_path):
    container = new_container(emulator, prefix="adaptive").container_name
    source = make_tree(tmp_path / "tree", 31)
    ferry = ferry_for(tmp_path, emulator)
    emulator.reset_stats()
    emulator.set_faults(["busy:ops=PutBlock+PutBlob,rate=0.25"], seed=9)
    run = ferry.run("copy", str(source), f"{emulator.url}/{container}", "--recursive", "--block-size-mb", "1",
                    "--concurrency", "16", "--output-type", "json")
    end = run.event("end")
    assert end["filesFailed"] == 0, run.describe()
    refused = busy_refusals(emulator.stats())
    assert refused > 0, "the fault rule refused nothing: the test proves nothing"
    # Every 503 the emulator sent is a refusal Ferry counted, no more, no fewer.
    assert end["requestsRefused"] == refused, run.describe()
    # It slowed down for them (a cut of concurrency or pace), and stayed within 1…ceiling.
    assert end["slowdowns"] >= 1, run.describe()
    assert all(1 <= e["concurrency"] <= 16 for e in run.events if "concurrency" in e), run.describe()
    client = service_client(emulator).get_container_client(container)
    for path in [source / "big.bin", *sorted((source / "small").iterdir())]:
        name = "tree/" + str(path.relative_to(source))
        assert client.download_blob(name).readall() == path.read_bytes(), name


def test_fixed_concurrency_reports_no_governor(emulator, tmp_path):
    container = new_container(emulator, prefix="fixed").container_name
    source = make_tree(tmp_path / "tree", 47)
    ferry = ferry_for(tmp_path, emulator)
    emulator.set_faults(["busy:ops=PutBlob,rate=0.3"], seed=3)
    run = ferry.run("copy", str(source), f"{emulator.url}/{container}", "--recursive", "--concurrency", "8",
                    "--fixed-concurrency", "--output-type", "json")
    end = run.event("end")
    assert end["filesFailed"] == 0, run.describe()
    assert "concurrency" not in end and "requestsRefused" not in end and "slowdowns" not in end, end
    assert emulator.stats()["faultsInjected"] > 0


def test_downloads_are_governed_at_the_source(emulator, tmp_path):
    container = new_container(emulator, prefix="adaptdown").container_name
    source = make_tree(tmp_path / "tree", 53)
    ferry = ferry_for(tmp_path, emulator)
    url = f"{emulator.url}/{container}"
    ferry.run("copy", str(source), url, "--recursive")
    emulator.reset_stats()
    emulator.set_faults(["busy:ops=GetBlob,rate=0.25"], seed=12)
    target = tmp_path / "down"
    target.mkdir()
    run = ferry.run("copy", f"{url}/tree", str(target), "--recursive", "--block-size-mb", "1",
                    "--concurrency", "12", "--output-type", "json")
    end = run.event("end")
    assert end["filesFailed"] == 0, run.describe()
    refused = emulator.stats()["faultsInjected"]
    assert refused > 0 and end["requestsRefused"] == refused, run.describe()
    assert end["slowdowns"] >= 1, run.describe()
    assert (target / "tree" / "big.bin").read_bytes() == (source / "big.bin").read_bytes()
