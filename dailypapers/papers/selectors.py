"""Reads for feed and paper pages (each a fixed number of queries), and for imports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat

from dailypapers.core import categories
from dailypapers.papers.identifiers import parse_arxiv_id
from dailypapers.papers.models import Listing, Paper
from dailypapers.papers.periods import Period

SORT_UPVOTES = "upvotes"
SORT_NEWEST = "newest"
SORT_TRENDING = "trending"
SORTS = (SORT_UPVOTES, SORT_TRENDING, SORT_NEWEST)
# A listing is "new" when submitted within this span of the latest submission.
NEW_WINDOW = dt.timedelta(days=1)

_ORDERINGS = {
    SORT_UPVOTES: ("-is_pinned", "-paper__upvote_count", "position", "-paper__published_at", "pk"),
    SORT_NEWEST: ("-is_pinned", "-paper__published_at", "-paper__upvote_count", "pk"),
    SORT_TRENDING: (
        "-is_pinned",
        F("paper__trending_key").desc(nulls_last=True),
        "-paper__upvote_count",
        "pk",
    ),
}


def visible_listings() -> QuerySet[Listing]:
    return Listing.objects.filter(status=Listing.Status.FEATURED, is_hidden=False)


@dataclass(frozen=True)
class FeedState:
    latest_day: dt.date | None
    new_since: dt.datetime | None


def feed_state() -> FeedState:
    """The newest day with papers, and the time after which listings count as new.

    One query of two index look-ups (the newest day, the newest submission),
    not one aggregate of both: that read every listing, a third of what a
    signed-in day page cost."""
    newest = visible_listings().order_by("-submitted_at").values("submitted_at")[:1]
    latest = visible_listings().order_by("-day").values("day").annotate(at=Subquery(newest)).first()
    if latest is None:
        return FeedState(None, None)
    return FeedState(latest["day"], latest["at"] - NEW_WINDOW)


def feed_listings(*, period: Period, sort: str = SORT_UPVOTES) -> QuerySet[Listing]:
    """Featured listings in ``period``, one per paper (its latest day there)."""
    in_period = visible_listings().filter(day__range=(period.start, period.end))
    later_same_paper = in_period.filter(paper_id=OuterRef("paper_id"), day__gt=OuterRef("day"))
    return (
        in_period.filter(~Exists(later_same_paper))
        .select_related("paper", "submitted_by")
        .order_by(*_ORDERINGS.get(sort, _ORDERINGS[SORT_UPVOTES]))
    )


def adjacent_days(*, period: Period) -> tuple[dt.date | None, dt.date | None]:
    """The nearest days before and after ``period`` that have papers."""
    listings = visible_listings()
    before = listings.filter(day__lt=period.start).aggregate(d=Max("day"))["d"]
    after = listings.filter(day__gt=period.end).aggregate(d=Min("day"))["d"]
    return before, after


def day_counts(*, period: Period) -> dict[dt.date, int]:
    rows = (
        visible_listings()
        .filter(day__range=(period.start, period.end))
        .values("day")
        .annotate(n=Count("paper_id", distinct=True))
    )
    return {row["day"]: row["n"] for row in rows}


def paper_by_ref(*, ref: str) -> Paper | None:
    """The paper an URL names: an arXiv id in any spelling, or a local "dp-" key."""
    if ref.startswith("dp-"):
        return Paper.objects.filter(local_key=ref.removeprefix("dp-")).first()
    parsed = parse_arxiv_id(ref)
    if parsed is None:
        return None
    return Paper.objects.filter(arxiv_id=parsed.id).first()


def paper_listings(*, paper: Paper) -> list[Listing]:
    return list(
        visible_listings().filter(paper=paper).select_related("submitted_by").order_by("day")
    )


def trending_papers() -> QuerySet[Paper]:
    """Featured papers by trending key (papers.trending), read from its index."""
    return Paper.objects.filter(trending_key__isnull=False).order_by("-trending_key", "-pk")


def papers_in_category(*, category: str) -> QuerySet[Paper]:
    """Newest first; "cs" means every cs.* category, "cs.CL" that one (core.categories)."""
    found = Q()
    for needle in categories.needles(category):
        found |= Q(padded_categories__contains=needle)
    return (
        Paper.objects.alias(padded_categories=Concat(Value(" "), "categories", Value(" ")))
        .filter(found)
        .order_by("-published_at", "-pk")
    )


# Well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
QUERY_CHUNK = 2000


def in_chunks(values: Sequence, size: int = QUERY_CHUNK) -> Iterator[Sequence]:
    """``values`` in slices small enough for one query's parameters."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def stored_by(*, column: str, values: Sequence[str]) -> list[tuple[str, int]]:
    """(value, paper id) of the stored papers whose ``column`` is one of ``values``.

    ``column`` is a column name of ours, never user input. Imports ask this
    for thousands of values of which few or none are stored; compiling
    ``filter(column__in=...)`` for them cost a snapshot import more than the
    lookup itself, hence plain SQL.
    """
    table = connection.ops.quote_name(Paper._meta.db_table)
    found: list[tuple[str, int]] = []
    with connection.cursor() as cursor:
        for chunk in in_chunks(values):
            chunk = list(chunk)
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {column}, id FROM {table} WHERE {column} IN ({marks})", chunk)
            found.extend(cursor.fetchall())
    return found
