"""The whole real data set, as the embedded default imports it on first start."""

import hashlib
import json

import pytest

from dailypapers.ingest.services import default_data_import
from dailypapers.papers.identifiers import title_key
from dailypapers.papers.models import Listing, Paper
from tests.conftest import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def digest(model) -> tuple[int, str]:
    rows = model.objects.order_by("pk").values()
    text = json.dumps(list(rows), default=str, sort_keys=True)
    return len(rows), hashlib.sha256(text.encode()).hexdigest()


def test_import_twice_changes_nothing_and_seed_papers_keep_their_page_values():
    reports = default_data_import(data_dir=shared_data(), show_progress=False)
    seed, days = reports
    assert seed.result.created == 43 and days.files == 580 and days.skipped == 0
    papers, listings = digest(Paper), digest(Listing)
    assert listings[0] == days.entries

    again = default_data_import(data_dir=shared_data(), show_progress=False)
    assert not any(report.changed for report in again)
    assert digest(Paper) == papers and digest(Listing) == listings

    for entry in json.loads((shared_data() / "seed_papers.json").read_text())["papers"]:
        paper = Paper.objects.get(title_key=title_key(entry["title"]))
        assert paper.upvote_count == entry["upvotes"], entry["title"]
        if entry["authors_count"] is not None:
            assert paper.authors_count == entry["authors_count"], entry["title"]
        if entry["published"] is not None:
            assert str(paper.published_date) == entry["published"], entry["title"]
