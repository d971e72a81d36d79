"""papers_upsert: matching, merging by version and observation time, listings."""

import datetime as dt

import pytest

from dailypapers.papers.models import Listing, Paper
from dailypapers.papers.records import ListingRecord, PaperRecord
from dailypapers.papers.services import papers_upsert

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 10, 1, tzinfo=dt.UTC)


def record(**overrides) -> PaperRecord:
    values = dict(
        arxiv_id="2510.00001",
        title="A Paper About Things",
        abstract="We study things. Code: https://github.com/a/things.",
        authors=[{"name": "Ada Lovelace"}, {"name": "Alan Turing"}],
        observed_at=T0,
        source="arxiv",
    )
    values.update(overrides)
    return PaperRecord(**values)


def test_creates_then_leaves_unchanged():
    first = papers_upsert(records=[record()])
    assert (first.created, first.updated, first.unchanged) == (1, 0, 0)
    paper = Paper.objects.get()
    assert paper.authors_count == 2
    assert paper.code_url == "https://github.com/a/things"
    modified = paper.modified_at
    again = papers_upsert(records=[record()])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Paper.objects.get().modified_at == modified


def test_newer_version_updates_older_does_not():
    v1 = record(version=1, title="Old title", observed_at=T0)
    v2 = record(version=2, title="New title", observed_at=T0 + dt.timedelta(days=9))
    papers_upsert(records=[v1])
    assert papers_upsert(records=[v2]).updated == 1
    assert papers_upsert(records=[v1]).updated == 0
    paper = Paper.objects.get()
    assert (paper.title, paper.version) == ("New title", 2)


def test_arxiv_outranks_daily_papers_whatever_the_dates():
    papers_upsert(records=[record(title="From arXiv", observed_at=T0)])
    later = record(
        title="From Daily Papers", source="daily_papers", observed_at=T0 + dt.timedelta(days=30)
    )
    assert papers_upsert(records=[later]).updated == 0
    assert Paper.objects.get().title == "From arXiv"


def test_order_of_sources_does_not_matter():
    early = record(title="Early", abstract="", observed_at=T0)
    late = record(title="Late", authors=[], observed_at=T0 + dt.timedelta(days=1))
    papers_upsert(records=[early])
    papers_upsert(records=[late])
    a = Paper.objects.values("title", "abstract", "authors").get()
    Paper.objects.all().delete()
    papers_upsert(records=[late])
    papers_upsert(records=[early])
    b = Paper.objects.values("title", "abstract", "authors").get()
    assert a == b
    assert a["title"] == "Late" and a["authors"]  # names filled in by the earlier record


def test_title_only_paper_gets_its_arxiv_id_later_and_keeps_its_local_key():
    papers_upsert(
        records=[
            record(
                arxiv_id=None,
                authors=[],
                authors_count=5,
                title="Online Generic Event Boundary Detection",
            )
        ]
    )
    paper = Paper.objects.get()
    assert paper.arxiv_id is None and paper.ref == f"dp-{paper.local_key}"
    papers_upsert(
        records=[
            record(
                arxiv_id="2510.06855",
                title="Online generic event boundary detection",
                observed_at=T0 - dt.timedelta(days=5),
            )
        ]
    )
    paper = Paper.objects.get()
    assert paper.arxiv_id == "2510.06855" and paper.local_key
    assert paper.ref == "2510.06855"


def test_title_only_record_matches_a_stored_arxiv_paper():
    papers_upsert(records=[record()])
    result = papers_upsert(
        records=[record(arxiv_id=None, title="A paper about things!", upvotes=3)]
    )
    assert Paper.objects.count() == 1 and result.updated == 1
    assert Paper.objects.get().upvote_count == 3


def test_counts_follow_the_newest_observation_and_keep_local_votes():
    papers_upsert(records=[record(upvotes=10, num_comments=2)])
    Paper.objects.update(upvote_count=13)  # three local votes
    papers_upsert(records=[record(upvotes=4, observed_at=T0 - dt.timedelta(days=1))])
    assert Paper.objects.get().upvote_count == 13  # older observation ignored
    papers_upsert(records=[record(upvotes=20, observed_at=T0 + dt.timedelta(days=1))])
    paper = Paper.objects.get()
    assert (paper.upvotes_imported, paper.upvote_count, paper.comment_count) == (20, 23, 2)


def test_a_bare_date_never_replaces_a_time_of_the_same_day():
    precise = dt.datetime(2025, 10, 8, 10, 23, 45, tzinfo=dt.UTC)
    midnight = dt.datetime(2025, 10, 8, tzinfo=dt.UTC)

    def bare_date(observed_days: int) -> None:
        papers_upsert(
            records=[
                record(
                    published_at=midnight,
                    published_is_date_only=True,
                    observed_at=T0 + dt.timedelta(days=observed_days),
                )
            ]
        )

    bare_date(60)
    papers_upsert(records=[record(published_at=precise)])
    assert Paper.objects.get().published_at == precise
    bare_date(90)
    assert Paper.objects.get().published_at == precise


def test_a_bare_listing_day_never_replaces_the_time_of_submission():
    """The snapshot dates a paper without version history by the day arXiv
    first listed it, the day after Hugging Face's submission time."""
    submitted = dt.datetime(2025, 10, 8, 10, 23, 45, tzinfo=dt.UTC)
    papers_upsert(records=[record(source="daily_papers", published_at=submitted)])
    papers_upsert(
        records=[
            record(
                published_at=dt.datetime(2025, 10, 9, tzinfo=dt.UTC),
                published_is_date_only=True,
                observed_at=T0 + dt.timedelta(days=30),
            )
        ]
    )
    assert Paper.objects.get().published_at == submitted


def test_listings_are_unique_per_paper_and_day_and_candidates_get_promoted():
    day = dt.date(2025, 10, 8)
    rec = record()
    listing = ListingRecord(identity=rec.identity, day=day, source="arxiv", status="candidate")
    papers_upsert(records=[rec], listings=[listing])
    featured = ListingRecord(
        identity=rec.identity, day=day, source="daily_papers", submitter_name="ak"
    )
    result = papers_upsert(records=[rec], listings=[featured])
    assert result.listings_updated == 1
    stored = Listing.objects.get()
    assert (stored.status, stored.submitter_name) == ("featured", "ak")
    papers_upsert(records=[rec], listings=[listing])
    assert Listing.objects.get().status == "featured"


def test_same_paper_twice_in_one_batch_is_one_row():
    result = papers_upsert(
        records=[record(upvotes=1), record(upvotes=2, observed_at=T0 + dt.timedelta(hours=1))]
    )
    assert result.created == 1 and Paper.objects.get().upvote_count == 2
