"""Daily Papers day files: every real format variant, and corrupted copies."""

import json
from pathlib import Path

import pytest

from dailypapers.ingest.services import daily_papers_import
from dailypapers.papers.models import Listing, Paper
from tests.conftest import DAY_FILES, load_day

pytestmark = pytest.mark.django_db


def run(*paths: Path):
    return daily_papers_import(paths=list(paths), show_progress=False)


def test_imports_a_day_with_listings_in_the_files_order():
    report = run(DAY_FILES / "2025-10-08.json")
    entries = load_day("2025-10-08")
    assert report.entries == len(entries) == 23 and not report.problems
    assert report.result.created == 23 and report.result.listings_created == 23
    listing = Listing.objects.select_related("paper").get(paper__arxiv_id="2510.06217")
    assert (str(listing.day), listing.position, listing.submitter_name) == (
        "2025-10-08",
        1,
        "jiaruz2",
    )
    assert listing.submitted_at.isoformat() == "2025-10-08T00:00:51.373000+00:00"
    paper = listing.paper
    assert (
        paper.title
        == "TaTToo: Tool-Grounded Thinking PRM for Test-Time Scaling in Tabular Reasoning"
    )
    assert paper.upvote_count == 35 and paper.comment_count == 2 and paper.authors_count == 9
    assert paper.published_at.isoformat() == "2025-10-07T17:59:41+00:00"


def test_python_dict_string_entries_are_parsed_without_eval():
    raw = json.loads((DAY_FILES / "2024-12-11.json").read_text())
    assert all(isinstance(entry, str) for entry in raw)
    report = run(DAY_FILES / "2024-12-11.json")
    assert report.entries == len(raw) and report.skipped == 0
    assert Paper.objects.filter(arxiv_id="2412.07730").exists()


def test_wrapped_format_is_read():
    report = run(DAY_FILES / "2025-01-10.json")
    assert report.entries == 9 and report.skipped == 0
    assert Listing.objects.filter(day="2025-01-10").count() == 9


def test_stated_code_and_project_links_come_first():
    run(DAY_FILES / "2025-10-09.json")
    paper = Paper.objects.get(arxiv_id="2510.06855")
    assert paper.project_url == "https://carpedkm.github.io/projects/online_gebd/index.html"


def test_paper_featured_on_two_days_has_two_listings_and_the_newest_counts():
    report = run(DAY_FILES / "2026-04-16.json", DAY_FILES / "2026-04-10.json")
    assert not report.problems
    paper = Paper.objects.get(arxiv_id="2604.07429")
    assert sorted(str(d) for d in paper.listings.values_list("day", flat=True)) == [
        "2026-04-10",
        "2026-04-16",
    ]
    assert paper.upvote_count == 42  # as of 2026-04-16, whatever the import order


def test_importing_twice_changes_nothing():
    run(DAY_FILES)
    before = list(Paper.objects.order_by("pk").values())
    listings = list(Listing.objects.order_by("pk").values())
    second = run(DAY_FILES)
    assert not second.changed
    assert (second.result.created, second.result.updated) == (0, 0)
    assert list(Paper.objects.order_by("pk").values()) == before
    assert list(Listing.objects.order_by("pk").values()) == listings


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_corrupted_files_are_named_and_the_rest_is_imported(day_files: Path):
    good = load_day("2025-10-08")
    truncated = day_files / "2025-10-09.json"
    _write(truncated, truncated.read_text()[:5000])
    mixed = good[:3] + ["just a string", {"paper": {"id": "2510.99999", "title": "No authors"}}, 42]
    broken_entry = dict(good[3], paper={**good[3]["paper"], "id": "not-an-id"})
    _write(day_files / "2025-10-08.json", json.dumps([*mixed, broken_entry]))
    _write(day_files / "2025-10-10.json", json.dumps({"unexpected": "shape"}))
    _write(day_files / "2025-11-01.json", "\xff\xfe garbage")
    (day_files / "2025-11-02.json").write_bytes(b"\xff\xfe\x00garbage")

    report = run(day_files)

    text = "\n".join(report.summary_lines())
    assert "2025-10-09.json: file skipped: not valid JSON (truncated or malformed)" in text
    assert "2025-10-10.json: file skipped: expected a JSON list of entries, found dict" in text
    assert (
        "2025-11-02.json: file skipped: not UTF-8 text" in text
        or "2025-11-02.json: file skipped: not valid JSON" in text
    )
    assert "2025-10-08.json entry 4: skipped: string entry is not a Python dict literal" in text
    assert "2025-10-08.json entry 5: skipped: paper 2510.99999 has no author list" in text
    assert "2025-10-08.json entry 6: skipped: entry is a int, not an object" in text
    assert "2025-10-08.json entry 7: skipped: missing or invalid paper.id 'not-an-id'" in text
    # Everything usable went in: three good entries of the mixed file and the other files.
    assert Listing.objects.filter(day="2025-10-08").count() == 3
    assert Listing.objects.filter(day="2026-04-10").exists()
    assert Listing.objects.filter(day="2024-12-11").exists()


def test_a_bad_file_loses_nothing_already_stored(day_files: Path):
    run(DAY_FILES / "2025-10-08.json")
    before = list(Paper.objects.order_by("pk").values())
    _write(
        day_files / "2025-10-08.json", '[{"paper": {"id": "2510.06217", "title": "X", "authors": ['
    )
    report = run(day_files / "2025-10-08.json")
    assert report.problems and list(Paper.objects.order_by("pk").values()) == before


def test_oversized_python_string_entry_is_refused(day_files: Path):
    _write(day_files / "2025-10-08.json", json.dumps(["{" + "'a': 1, " * 200_000 + "}"]))
    report = run(day_files / "2025-10-08.json")
    assert "too long to parse" in "\n".join(report.summary_lines())


def test_missing_file_is_reported_not_raised(tmp_path: Path):
    report = run(tmp_path / "2025-10-08.json")
    assert report.problems and "file skipped" in str(report.problems[0])
