"""RSS and Atom feeds parsed by feedparser, checked against the database."""

import feedparser
import pytest
from bs4 import BeautifulSoup

from dailypapers.papers.periods import period_containing
from dailypapers.papers.selectors import feed_listings, feed_state, trending_papers

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_daily_feed_matches_the_latest_day(client, imported, fmt):
    feed = parse(client, f"/feeds/daily.{fmt}")
    day = feed_state().latest_day
    expected = [x.paper for x in feed_listings(period=period_containing("day", day))]
    assert [e.title for e in feed.entries] == [p.title for p in expected][:50]
    first = feed.entries[0]
    assert first.link.endswith(expected[0].get_absolute_url())
    assert expected[0].abstract[:50] in first.summary
    assert feed.feed.title.endswith("daily papers")


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_trending_feed(client, imported, fmt):
    feed = parse(client, f"/feeds/trending.{fmt}")
    assert [e.title for e in feed.entries] == [p.title for p in trending_papers()[:50]]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_category_feed(client, imported, fmt):
    from tests.factories import make_paper

    make_paper("2510.09001", title="In computation and language", categories=["cs.CL", "cs.LG"])
    make_paper("2510.09002", title="In machine learning", categories=["cs.LG"])
    make_paper("2510.09003", title="In mathematics", categories=["math.ST"])
    assert [e.title for e in parse(client, f"/feeds/category/cs.CL.{fmt}").entries] == [
        "In computation and language"
    ]
    assert {e.title for e in parse(client, f"/feeds/category/cs.{fmt}").entries} == {
        "In computation and language",
        "In machine learning",
    }
    assert client.get("/feeds/category/<script>.rss").status_code == 404


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_search_feed(client, imported, fmt):
    feed = parse(client, f"/feeds/search.{fmt}?q=2510.06217")
    assert feed.entries[0].link.endswith("/papers/2510.06217")
    # FTS syntax and an emoji: a well-formed feed (parse checks) that names the query as typed.
    hostile = parse(client, f"/feeds/search.{fmt}?q=%22NEAR(*%20%F0%9F%A4%96")
    assert hostile.feed.title.endswith('search “"NEAR(* 🤖”')


@pytest.mark.parametrize("q", ["", "%3F%21", "%22(*)%22", "%20%20"])
def test_a_query_without_words_is_an_empty_answer_everywhere(client, imported, q):
    """The search page, its feeds and its citations answer the same: 200, nothing found."""
    page = client.get(f"/papers/search?q={q}")
    assert page.status_code == 200 and not BeautifulSoup(page.content, "html.parser").select(
        "article.card"
    )
    for fmt in ("rss", "atom"):
        assert parse(client, f"/feeds/search.{fmt}?q={q}").entries == []
    for fmt in ("bib", "ris"):
        cite = client.get(f"/cite/search.{fmt}?q={q}")
        assert cite.status_code == 200 and not cite.content.strip()
