"""Names are bytes: the NFC (`caf\\u00e9`) and NFD (`cafe\\u0301`) spellings of "café" are two
different files on Linux, in Azure and in S3. A sync that compared names as Swift Strings would
see one name, skip one file or delete the other. Both must arrive with their own bytes, in every
direction, and the next sync must send nothing (server counters)."""
from __future__ import annotations

import unicodedata

import pytest

from ferry_live.sync_fixtures import metered_seaweed, pair  # noqa: F401 (fixtures)
from ferry_live.sync_pairs import DIRECTIONS

NFC = unicodedata.normalize("NFC", "café")
NFD = unicodedata.normalize("NFD", "café")
FILES = {
    f"{NFC}.txt": b"composed e-acute\n",
    f"{NFD}.txt": b"decomposed e + combining acute\n",
    f"dir {NFC}/x.txt": b"under the composed folder\n",
    f"dir {NFD}/x.txt": b"under the decomposed folder, longer\n",
    "plain.txt": b"ascii\n",
}


@pytest.mark.parametrize("pair", DIRECTIONS, indirect=True)
def test_nfc_and_nfd_spellings_are_two_files_and_the_next_sync_is_a_noop(pair):
    assert NFC != NFD and NFC.encode() != NFD.encode()
    pair.seed(FILES)
    assert pair.src.files() == FILES, "the source does not hold both spellings"
    run = pair.sync("--delete-destination", "true")
    pair.assert_mirrored(FILES)
    assert run.event("end")["filesDone"] == len(FILES), run.describe()

    before = pair.measure()
    again = pair.sync("--delete-destination", "true")
    after = pair.measure()
    assert pair.dst_writes(before, after) == {}, f"{pair.direction}: the second sync changed the destination"
    assert pair.src_reads(before, after) == {}, f"{pair.direction}: the second sync read object bodies"
    pair.assert_mirrored(FILES)
    end = again.event("end")
    assert (end["filesDone"], end.get("filesDeleted")) == (0, 0), again.describe()
