"""The arXiv metadata snapshot: real lines, corrupted copies, resuming, idempotence."""

import datetime as dt
import gzip
import json
import zlib
from pathlib import Path

import pytest

from dailypapers.ingest import snapshot
from dailypapers.ingest.errors import SnapshotError
from dailypapers.ingest.models import ImportCheckpoint
from dailypapers.ingest.services import snapshot_import
from dailypapers.papers.models import Paper
from tests.conftest import TEST_DATA

pytestmark = pytest.mark.django_db

SAMPLE = TEST_DATA / "arxiv" / "arxiv-metadata-oai-snapshot.sample.json"
BROWSE = TEST_DATA / "arxiv" / "arxiv_browse_abs_records.jsonl"


def run(path: Path, **options):
    return snapshot_import(path=path, show_progress=False, parse_separately=False, **options)


def distinct_ids(path: Path) -> set[str]:
    return {json.loads(line)["id"] for line in path.read_text().splitlines() if line.strip()}


def test_the_real_sample():
    report = run(SAMPLE)
    assert report.entries == 200 and report.skipped == 0 and report.result.created == 200
    paper = Paper.objects.get(arxiv_id="0704.0001")
    assert (
        paper.title
        == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert paper.author_names == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"]
    assert paper.authors[0] == {"name": "C. Balázs", "family": "Balázs", "given": "C."}
    assert (
        paper.version == 2 and paper.categories == "hep-ph" and paper.primary_category == "hep-ph"
    )
    assert paper.published_at == dt.datetime(2007, 4, 2, 19, 18, 42, tzinfo=dt.UTC)
    assert paper.updated_at == dt.datetime(2007, 7, 24, 20, 10, 27, tzinfo=dt.UTC)
    assert (paper.doi, paper.report_no, paper.journal_ref) == (
        "10.1103/PhysRevD.76.013009",
        "ANL-HEP-PR-07-12",
        "Phys.Rev.D76:013009,2007",
    )
    assert paper.comments == "37 pages, 15 figures; published version"


def test_the_real_browse_records_with_old_style_ids_and_version_histories():
    report = run(BROWSE)
    ids = distinct_ids(BROWSE)
    assert report.skipped == 0 and Paper.objects.count() == len(ids) == 1130
    paper = Paper.objects.get(arxiv_id="funct-an/9301001")
    assert paper.version == 2 and paper.report_no == "I.H.E.S./P/92/95"
    assert "{\\em" not in paper.journal_ref and "Lie algebras, cohomologies" in paper.journal_ref


def test_gzip_and_plain_give_the_same_rows(tmp_path: Path):
    gz = tmp_path / "sample.json.gz"
    gz.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    run(gz)
    gzipped = list(
        Paper.objects.order_by("arxiv_id").values("arxiv_id", "title", "authors", "version")
    )
    Paper.objects.all().delete()
    run(SAMPLE)
    assert (
        list(Paper.objects.order_by("arxiv_id").values("arxiv_id", "title", "authors", "version"))
        == gzipped
    )


def test_the_same_file_twice_changes_nothing():
    run(SAMPLE)
    before = list(Paper.objects.order_by("pk").values())
    again = run(SAMPLE)
    assert not again.changed and again.result.unchanged == 200
    assert list(Paper.objects.order_by("pk").values()) == before


def test_a_newer_version_updates_the_paper(tmp_path: Path):
    run(SAMPLE)
    line = json.loads(SAMPLE.read_text().splitlines()[0])
    line["versions"].append({"version": "v3", "created": "Mon, 5 May 2025 10:00:00 GMT"})
    line["title"] = "A corrected title"
    newer = tmp_path / "newer.jsonl"
    newer.write_text(json.dumps(line) + "\n")
    report = run(newer)
    assert report.result.updated == 1
    paper = Paper.objects.get(arxiv_id="0704.0001")
    assert (paper.version, paper.title) == (3, "A corrected title")
    older = tmp_path / "older.jsonl"
    older.write_text(SAMPLE.read_text().splitlines()[0] + "\n")
    assert run(older).result.updated == 0
    assert Paper.objects.get(arxiv_id="0704.0001").version == 3


def test_bad_lines_are_counted_named_and_skipped(tmp_path: Path):
    lines = SAMPLE.read_bytes().splitlines()
    corrupted = [
        *lines[:3],
        b"{not json",  # line 4
        b"[1, 2, 3]",  # line 5
        json.dumps({"title": "no id"}).encode(),  # line 6
        json.dumps({"id": "not an id", "title": "x"}).encode(),  # line 7
        b"",  # a blank line is not a record
        json.dumps({"id": "0704.9999", "title": ""}).encode(),  # line 9
        b"\xff\xfe\x00\x01",  # line 10
        b'{"id": "0704.9998", "title": "' + b"x" * 1_100_000 + b'"}',  # line 11
        *lines[3:10],
        lines[10][: len(lines[10]) // 2],  # a truncated last line, line 19
    ]
    path = tmp_path / "corrupted.jsonl"
    path.write_bytes(b"\n".join(corrupted))
    report = run(path)
    text = "\n".join(report.summary_lines())
    assert report.skipped == 8
    for expected in [
        "line 4: not valid JSON",
        "line 5: expected a JSON object, found list",
        "line 6: missing or invalid id None",
        "line 7: missing or invalid id 'not an id'",
        "line 9: 0704.9999 has no title",
        "line 10: not valid JSON",
        "line 11: line of 1100033 bytes is too long",
        "line 19: not valid JSON",
    ]:
        assert expected in text, expected
    assert Paper.objects.count() == 10


def test_resumes_after_the_last_committed_line(tmp_path: Path):
    path = tmp_path / "sample.jsonl"
    path.write_bytes(SAMPLE.read_bytes())
    # An interrupted run that committed the first 120 lines (as a kill would leave it).
    ImportCheckpoint.objects.create(
        kind="snapshot",
        source=str(path.resolve()),
        fingerprint=f"crc32:{zlib.crc32(b''.join(path.read_bytes().splitlines()[:120])):08x}",
        lines_done=120,
    )
    report = run(path, batch_size=50)
    assert report.resumed_after_line == 120 and report.entries == 80
    assert "resumed after line 120" in "\n".join(report.summary_lines())
    assert Paper.objects.count() == 80
    checkpoint = ImportCheckpoint.objects.get()
    assert checkpoint.completed_at and checkpoint.lines_done == 200
    # A completed import is started over (and finds all lines).
    assert run(path).entries == 200 and Paper.objects.count() == 200


def test_a_changed_file_is_not_resumed(tmp_path: Path):
    path = tmp_path / "sample.jsonl"
    path.write_bytes(SAMPLE.read_bytes())
    ImportCheckpoint.objects.create(
        kind="snapshot", source=str(path.resolve()), fingerprint="crc32:0badf00d", lines_done=150
    )
    assert run(path).entries == 200


def test_parsing_in_a_second_process_gives_the_same_result(tmp_path: Path):
    report = snapshot_import(
        path=BROWSE, show_progress=False, parse_separately=True, batch_size=300
    )
    assert report.result.created == 1130 and report.skipped == 0


@pytest.mark.parametrize("separately", [False, True], ids=["in-process", "reading-process"])
def test_a_truncated_download_is_named_and_what_came_before_is_kept(
    tmp_path: Path, separately, monkeypatch
):
    # The reading process sends 100 lines at a time, regrouped into batches
    # of 1,000: the damage comes before the first batch is complete.
    monkeypatch.setattr(snapshot, "TRANSFER_LINES", 100)
    whole = gzip.compress(BROWSE.read_bytes())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) * 2 // 3])  # a download cut off
    with pytest.raises(SnapshotError, match=r"cut\.jsonl\.gz cannot be read after line"):
        snapshot_import(
            path=path, show_progress=False, parse_separately=separately, batch_size=1000
        )
    checkpoint = ImportCheckpoint.objects.get()
    # The lines read before the damage are stored, and the checkpoint says so.
    assert 300 < checkpoint.lines_done < 1000 and checkpoint.completed_at is None
    assert Paper.objects.count() == checkpoint.lines_done


def test_the_command_says_a_file_is_damaged_and_where(tmp_path: Path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "cut.jsonl.gz"
    whole = gzip.compress(SAMPLE.read_bytes())
    path.write_bytes(whole[:-40])
    with pytest.raises(CommandError, match=r"cannot be read after line .*resumes") as error:
        call_command("import", "snapshot", str(path), "--no-progress")
    assert error.value.returncode == 2
