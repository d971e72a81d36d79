"""Imports (real BibTeX and Zotero CSL JSON made from papers of the shared
data), the background fetch of papers not stored yet (a local server
replaying arXiv's real answer), exports, and bad files."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from dailypapers.library import jobs, selectors, services, transfer
from dailypapers.library.models import Entry, Follow, PendingImport
from dailypapers.members.selectors import member_export
from dailypapers.papers.models import Paper
from dailypapers.search import services as search_services
from tests.ingest.arxiv_fixtures import api_body, api_query
from tests.replay import ReplayServer, Reply

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data" / "library"


def saved(user) -> set[str]:
    return set(
        Entry.objects.filter(user=user, saved_at__isnull=False).values_list(
            "paper__arxiv_id", flat=True
        )
    )


def test_a_real_bibtex_file_fills_the_library_and_fetches_the_rest(imported, member, settings):
    report = transfer.library_import(
        user=member, kind="bibtex", text=(DATA / "arxiv-citations.bib").read_text()
    )
    # By eprint, by "arXiv preprint arXiv:…", by exact title; one to fetch; a book.
    assert (report.saved, report.fetching) == (3, 1)
    assert report.unmatched == ["The TeXbook"] and report.unreadable == []
    assert saved(member) == {"2509.26328", "2510.03270", "2510.06062"}
    assert Entry.objects.filter(user=member, imported_from="bibtex").count() == 3
    with ReplayServer() as server:
        settings.ARXIV_API_URL = server.url + "/api/query"
        settings.ARXIV_MIN_INTERVAL = 0
        server.add(
            "/api/query",
            api_query(id_list="2104.12255", max_results=1),
            Reply(api_body("id_2104.12255v1")),
        )
        assert (
            jobs.imports_round(None) == "imports: 1 papers fetched and saved, 0 waiting for arXiv"
        )
    assert "2104.12255" in saved(member) and Paper.objects.filter(arxiv_id="2104.12255").exists()
    assert PendingImport.objects.get().finished_at


def test_arxiv_down_keeps_the_import_waiting(imported, member, settings):
    transfer.library_import(user=member, kind="ids", text="2104.12255")
    with ReplayServer() as server:  # answers nothing it was not told: a 404 for every query
        settings.ARXIV_API_URL = server.url + "/nothing-here"
        settings.ARXIV_MIN_INTERVAL = 0
        settings.ARXIV_RETRIES = 0
        saved_now, waiting = transfer.pending_imports_fetch()
    assert (saved_now, waiting) == (0, 1)
    pending = PendingImport.objects.get()
    assert pending.finished_at is None and pending.attempts == 1 and pending.last_error


def test_a_zotero_export_fills_the_library_and_changes_for_you(imported, member, settings):
    settings.FOR_YOU_DAYS = 400  # the test day files span more than a year
    search_services.index_if_needed()
    before = [p.paper.pk for p in selectors.for_you(user=member).picks]
    report = transfer.library_import(
        user=member, kind="csl", text=(DATA / "zotero-export.json").read_text()
    )
    assert report.saved == 2 and report.unmatched == [
        "Structure and Interpretation of Computer Programs"
    ]
    assert saved(member) == {"2510.06062", "2509.24107"}
    services.tastes_retrain()
    feed = selectors.for_you(user=member)
    assert feed.kind == "centroid" and feed.positives == 2
    after = [p.paper.pk for p in feed.picks]
    assert after != before and feed.picks[0].reason.startswith("Because you liked")


def test_the_export_holds_everything_and_another_site_reads_it(imported, member, other):
    paper = Paper.objects.get(arxiv_id="2510.06217")
    services.entry_set(user=member, paper_id=paper.pk, saved=True, note="Tabular PRM.")
    services.entry_set(user=member, paper_id=paper.pk, read=True)
    services.follow_set(user=member, kind="author", value="Jiaru Zou", on=True)
    document = json.loads(json.dumps(member_export(user=member)))
    assert document["format"] == "dailypapers-library" and document["member"]["username"] == "ada"
    item = document["library"][0]
    assert (item["arxiv_id"], item["note"]) == ("2510.06217", "Tabular PRM.") and item["read_at"]
    assert document["follows"][0]["value"] == "Jiaru Zou"
    assert {"votes", "comments", "digest"} <= set(document)
    report = transfer.export_import(user=other, document=document)
    assert report.saved == 1
    entry = Entry.objects.get(user=other, paper=paper)
    assert entry.note == "Tabular PRM." and entry.read_at and entry.saved_at
    assert Follow.objects.filter(user=other, value="Jiaru Zou").exists()


@pytest.mark.parametrize(
    "kind, text, message",
    [
        ("csl", '[{"title": "unfinished"', "Not CSL JSON: line 1"),
        ("csl", '{"items": 7}', "expected a list of items"),
        ("word", "anything", "Cannot import 'word'"),
        ("ids", "x" * (transfer.MAX_IMPORT_BYTES + 1), "at most 5 MB"),
    ],
)
def test_bad_files_get_a_clear_error_and_change_nothing(imported, member, kind, text, message):
    services.entry_set(user=member, paper_id=Paper.objects.first().pk, saved=True)
    with pytest.raises(ValidationError, match=message):
        transfer.library_import(user=member, kind=kind, text=text)
    assert Entry.objects.filter(user=member).count() == 1 and not PendingImport.objects.exists()


def test_broken_bibtex_entries_are_listed_and_the_rest_imported(imported, member):
    text = "@misc{a, eprint={2510.06217}, archivePrefix={arXiv}}\n@article{broken, title={no end"
    report = transfer.library_import(user=member, kind="bibtex", text=text)
    assert report.saved == 1 and len(report.unreadable) == 1 and "line" in report.unreadable[0]


def test_an_export_of_another_format_is_refused(member):
    with pytest.raises(ValidationError, match="Not an export of this software"):
        transfer.export_import(user=member, document={"format": "zotero"})
    with pytest.raises(ValidationError, match="version 9"):
        transfer.export_import(
            user=member, document={"format": "dailypapers-library", "version": 9}
        )
