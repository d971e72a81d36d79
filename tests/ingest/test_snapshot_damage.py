"""A damaged snapshot download: every line that can be read is stored, the
message names the last one, and the repaired file resumes after it."""

import gzip
import itertools
import re
import zlib
from pathlib import Path

import pytest

from dailypapers.ingest import snapshot
from dailypapers.ingest.errors import SnapshotError
from dailypapers.ingest.models import ImportCheckpoint
from dailypapers.ingest.services import snapshot_import
from dailypapers.papers.models import Paper
from tests.conftest import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
LINES = 12_000


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> bytes:
    """The first 12,000 lines of the real arXiv file, gzipped as one download."""
    with gzip.open(shared_data() / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz", "rb") as f:
        return gzip.compress(b"".join(itertools.islice(f, LINES)))


def readable_lines(data: bytes) -> int:
    """Complete lines a careful reader gets out of ``data`` before its damage."""
    inflate = zlib.decompressobj(wbits=31)
    text = b""
    for start in range(0, len(data), 4096):
        try:
            text += inflate.decompress(data[start : start + 4096])
        except zlib.error:
            break
    return text.count(b"\n")


def damaged(data: bytes, how: str) -> bytes:
    cut = len(data) * 2 // 3
    if how == "cut":
        return data[:cut]  # a download that stopped
    return data[:cut] + bytes(b ^ 0x5A for b in data[cut : cut + 64]) + data[cut + 64 :]


@pytest.mark.parametrize("separately", [False, True], ids=["in-process", "reading-process"])
@pytest.mark.parametrize("how", ["cut", "corrupt"])
def test_every_readable_line_is_kept_and_the_repaired_file_resumes(
    tmp_path: Path, whole, how, separately, monkeypatch
):
    monkeypatch.setattr(snapshot, "TRANSFER_LINES", 500)
    path = tmp_path / "arxiv.jsonl.gz"
    path.write_bytes(damaged(whole, how))
    readable = readable_lines(path.read_bytes())
    assert 1000 < readable < LINES
    with pytest.raises(SnapshotError) as error:
        snapshot_import(
            path=path, show_progress=False, parse_separately=separately, batch_size=2000
        )
    assert re.search(rf"cannot be read after line {readable:,}:", str(error.value))
    checkpoint = ImportCheckpoint.objects.get()
    assert checkpoint.lines_done == readable
    # Flipped bytes may inflate to garbage before zlib notices: those lines
    # are bad lines, named and skipped; every other line is stored.
    assert Paper.objects.count() + checkpoint.bad_lines == readable
    assert checkpoint.bad_lines == 0 if how == "cut" else checkpoint.bad_lines < 100

    path.write_bytes(whole)  # the download again, whole this time
    report = snapshot_import(
        path=path, show_progress=False, parse_separately=separately, batch_size=2000
    )
    assert Paper.objects.count() == LINES
    if how == "cut":  # it begins with exactly the lines stored: resumed after them
        assert report.resumed_after_line == readable and report.entries == LINES - readable
    else:  # the garbage lines differ from the repaired ones: read from the start
        assert report.resumed_after_line is None and report.entries == LINES


def test_a_file_that_differs_before_the_checkpoint_is_read_from_its_start(tmp_path, whole):
    path = tmp_path / "arxiv.jsonl.gz"
    path.write_bytes(damaged(whole, "cut"))
    with pytest.raises(SnapshotError):
        snapshot_import(path=path, show_progress=False, parse_separately=False, batch_size=2000)
    with gzip.open(shared_data() / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz", "rb") as f:
        other = list(itertools.islice(f, LINES, 2 * LINES))  # another 12,000 papers
    path.write_bytes(gzip.compress(b"".join(other)))
    report = snapshot_import(path=path, show_progress=False, parse_separately=False)
    assert report.resumed_after_line is None and report.entries == LINES
