"""The saved Daily Papers page: title-only papers merged with day files."""

import datetime as dt
import json
from pathlib import Path

import pytest

from dailypapers.ingest.services import daily_papers_import, seed_import
from dailypapers.papers.identifiers import title_key
from dailypapers.papers.models import Paper
from tests.conftest import DAY_FILES, SEED_FILE, load_seed

pytestmark = pytest.mark.django_db


def test_all_43_papers_with_the_pages_counts_dates_and_upvotes():
    report = seed_import(path=SEED_FILE, show_progress=False)
    assert report.result.created == 43 and not report.problems
    for entry in load_seed():
        paper = Paper.objects.get(title_key=title_key(entry["title"]))
        assert paper.authors_count == entry["authors_count"]
        assert paper.upvote_count == entry["upvotes"]
        published = paper.published_at.date().isoformat() if paper.published_at else None
        assert published == entry["published"]


@pytest.mark.parametrize("order", ["seed first", "day files first"])
def test_overlapping_papers_show_the_page_values_in_either_order(order):
    steps = [
        lambda: seed_import(path=SEED_FILE, show_progress=False),
        lambda: daily_papers_import(paths=[DAY_FILES], show_progress=False),
    ]
    for step in steps if order == "seed first" else reversed(steps):
        step()
    gebd = Paper.objects.get(arxiv_id="2510.06855")
    # The page (Dec 9, 2025) is a later observation than the 2025-10-09 file.
    assert (gebd.upvote_count, gebd.authors_count, str(gebd.published_date)) == (2, 5, "2025-10-08")
    assert gebd.published_at == dt.datetime(2025, 10, 8, 10, 23, 45, tzinfo=dt.UTC)
    art = Paper.objects.get(arxiv_id="2502.18364")
    assert art.upvote_count == 0 and art.authors_count == 17  # the page showed no count
    assert Paper.objects.filter(title_key=title_key(art.title)).count() == 1


def test_bad_entries_are_skipped_and_named(tmp_path: Path):
    data = json.loads(SEED_FILE.read_text())
    data["papers"] = data["papers"][:2] + ["oops", {"abstract": "no title"}]
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(data))
    report = seed_import(path=path, show_progress=False)
    assert report.result.created == 2 and report.skipped == 2
    assert [str(p) for p in report.problems] == [
        "seed.json entry 3: skipped: entry is a str, not an object",
        "seed.json entry 4: skipped: missing title",
    ]


def test_truncated_seed_file_is_reported(tmp_path: Path):
    path = tmp_path / "seed.json"
    path.write_text(SEED_FILE.read_text()[:1000])
    report = seed_import(path=path, show_progress=False)
    assert "not valid JSON" in str(report.problems[0]) and Paper.objects.count() == 0
