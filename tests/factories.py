"""Papers made through the real services, for tests that need a few of their own."""

from __future__ import annotations

import datetime as dt

from dailypapers.papers.models import Paper
from dailypapers.papers.records import ListingRecord, PaperRecord
from dailypapers.papers.services import papers_upsert

FEATURED_AT = dt.datetime(2025, 10, 8, 12, tzinfo=dt.UTC)


def make_paper(arxiv_id: str, *, title: str = "", day=None, upvotes=0, submitted_at=None, **extra):
    record = PaperRecord(
        arxiv_id=arxiv_id,
        title=title or f"Paper {arxiv_id}",
        abstract=extra.pop("abstract", "An abstract about attention and transformers."),
        authors=[{"name": "Ada Lovelace"}],
        upvotes=upvotes,
        source="daily_papers",
        observed_at=extra.pop("observed_at", dt.datetime(2025, 10, 9, tzinfo=dt.UTC)),
        published_at=extra.pop("published_at", FEATURED_AT),
        **extra,
    )
    listings = []
    if day is not None:
        listings = [
            ListingRecord(
                identity=record.identity,
                day=day,
                source="daily_papers",
                submitter_name="ak",
                submitted_at=submitted_at or FEATURED_AT,
            )
        ]
    result = papers_upsert(records=[record], listings=listings)
    return Paper.objects.get(pk=result.paper_ids[record.identity])


def add_paper(
    arxiv_id: str,
    title: str,
    abstract: str = "",
    *,
    authors=("Ada Lovelace",),
    categories=("cs.LG",),
    published="2025-10-01",
    code_url="",
    upvotes=0,
    day=None,
) -> int:
    record = PaperRecord(
        source="arxiv",
        arxiv_id=arxiv_id,
        title=title,
        abstract=abstract,
        authors=[{"name": a} for a in authors],
        categories=list(categories),
        published_at=dt.datetime.fromisoformat(published).replace(tzinfo=dt.UTC),
        code_url=code_url,
        upvotes=upvotes,
        observed_at=dt.datetime(2025, 10, 2, tzinfo=dt.UTC),
    )
    listings = (
        [
            ListingRecord(
                identity=record.identity, day=dt.date.fromisoformat(day), source="daily_papers"
            )
        ]
        if day
        else []
    )
    return papers_upsert(records=[record], listings=listings).paper_ids[record.identity]
