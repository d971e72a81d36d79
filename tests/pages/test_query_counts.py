"""The number of SQL queries a page makes does not grow with the papers it shows."""

import datetime as dt

import pytest

from dailypapers.papers.records import ListingRecord, PaperRecord
from dailypapers.papers.services import papers_upsert

pytestmark = pytest.mark.django_db

SMALL, LARGE = dt.date(2025, 10, 6), dt.date(2025, 10, 8)


def make_day(day: dt.date, count: int, offset: int) -> None:
    records = [
        PaperRecord(
            arxiv_id=f"2510.{offset + i:05d}",
            title=f"Paper {offset + i}",
            abstract="An abstract long enough to be cut into an excerpt. " * 10,
            authors=[{"name": f"Author {j}"} for j in range(5)],
            upvotes=i,
            source="arxiv",
            observed_at=dt.datetime(2025, 10, 9, tzinfo=dt.UTC),
        )
        for i in range(count)
    ]
    listings = [
        ListingRecord(identity=r.identity, day=day, source="daily_papers", submitter_name="ak")
        for r in records
    ]
    papers_upsert(records=records, listings=listings)


@pytest.fixture(autouse=True)
def _rendered_not_cached(settings):
    """These count what rendering a page asks of the database; a page served
    from the page cache asks one query (the last test)."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def two_days(db):
    make_day(SMALL, 2, 0)
    make_day(LARGE, 40, 100)


# 1 the latest day and newest submission (for the "new" mark)
# 2 the paginator's count
# 3 the page of listings with their papers and submitters (one join)
# 4 the nearest earlier day with papers
# 5 the nearest later day with papers
FEED_QUERIES = 5


@pytest.mark.parametrize("url", ["/papers/date/{day}", "/papers/week/2025-W41", "/papers/"])
def test_feed_pages(client, two_days, django_assert_num_queries, url):
    for day in (SMALL, LARGE):
        with django_assert_num_queries(FEED_QUERIES):
            response = client.get(url.format(day=day))
        assert response.status_code == 200


def test_month_page_adds_one_query_for_its_calendar(client, two_days, django_assert_num_queries):
    with django_assert_num_queries(FEED_QUERIES + 1):
        assert client.get("/papers/month/2025-10").status_code == 200


def test_day_pages_with_2_and_40_papers_make_the_same_queries(client, two_days):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for day in (SMALL, LARGE):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/papers/date/{day}")
        counts.append(len(ctx.captured_queries))
        assert len(response.context["page"].object_list) in (2, 40)
    assert counts[0] == counts[1]


# 1 the paper by id
# 2 the latest submission (for the "new" mark)
# 3 the days it was featured on, with submitters
# 4 the document counts of the title's words (the postings budget), cached
#   for minutes; on PostgreSQL also, when not cached, the words' lexemes and
#   the collection's size (two more)
# 5 related papers: the keyword search on its title (no vectors in this test;
#   with vectors, the paper's stored vector instead)
# 6 the related papers themselves
# 7 the comments with their authors (one query for every thread and reply)
# (signed in: 8, which of these papers the reader has upvoted)
def test_paper_page(client, two_days, django_assert_max_num_queries):
    from django.db import connection

    with django_assert_max_num_queries(7 if connection.vendor == "sqlite" else 9):
        assert client.get("/papers/2510.00100").status_code == 200


def test_a_cached_page_asks_only_the_pages_version(
    client, two_days, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 600
    for url in ("/papers/", f"/papers/date/{LARGE}", "/papers/2510.00100"):
        first = client.get(url)
        with django_assert_num_queries(1):
            again = client.get(url)
        assert again.status_code == 200
        assert again["ETag"] == first["ETag"]
