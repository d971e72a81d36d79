"""RSS and Atom feeds parsed by feedparser, checked against the database; citations."""

import feedparser
import pytest
from bs4 import BeautifulSoup

from dailypapers.community import services
from dailypapers.papers.models import Paper
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
    from tests.community.conftest import make_paper

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
    assert client.get(f"/feeds/search.{fmt}").status_code == 404
    hostile = parse(client, f"/feeds/search.{fmt}?q=%22NEAR(*%20%F0%9F%A4%96")
    assert isinstance(hostile.entries, list)


def test_autodiscovery_links(client, imported):
    soup = BeautifulSoup(client.get("/papers/").content, "html.parser")
    types = {link["type"] for link in soup.find_all("link", rel="alternate")}
    assert {"application/rss+xml", "application/atom+xml"} <= types
    search = BeautifulSoup(client.get("/papers/search?q=attention").content, "html.parser")
    assert any(
        "/feeds/search.rss?" in link["href"] for link in search.find_all("link", rel="alternate")
    )


def test_bibtex_and_ris_of_a_paper(client, imported):
    paper = Paper.objects.get(arxiv_id="2510.06217")
    bib = client.get("/cite/2510.06217.bib")
    assert bib["Content-Type"].startswith("application/x-bibtex")
    text = bib.content.decode()
    assert text.startswith("@misc{zou2025tattoo,") and "eprint = {2510.06217}" in text
    assert "archivePrefix = {arXiv}" in text and text.count("{") == text.count("}")
    ris = client.get("/cite/2510.06217.ris").content.decode()
    assert ris.startswith("TY  - ") and "ER  - " in ris
    assert [
        line[6:] for line in ris.splitlines() if line.startswith("AU  - ")
    ] == paper.author_names
    page = client.get("/papers/2510.06217").content.decode()
    assert "Copy BibTeX" in page and "zou2025tattoo" in page
    assert client.get("/cite/2510.99999.bib").status_code == 404
    assert client.get("/cite/2510.06217.pdf").status_code == 404


def test_citation_lists(client, imported, member):
    day = client.get("/cite/day/2025-10-08.bib").content.decode()
    count = len(
        list(
            feed_listings(period=period_containing("day", __import__("datetime").date(2025, 10, 8)))
        )
    )
    assert day.count("@misc{") == count
    keys = [
        line.split("{", 1)[1].rstrip(",") for line in day.splitlines() if line.startswith("@misc")
    ]
    assert len(keys) == len(set(keys))  # unique keys within a list
    search = client.get("/cite/search.ris?q=reasoning").content.decode()
    assert search.count("TY  - ") >= 1
    paper = Paper.objects.get(arxiv_id="2510.06217")
    services.vote_set(user=member, paper_id=paper.pk, up=True)
    mine = client.get(f"/cite/upvotes/{member.username}.bib").content.decode()
    assert mine.count("@misc{") == 1 and "2510.06217" in mine
    assert client.get("/cite/day/2025-13-45.bib").status_code == 404


def test_bibtex_escapes_special_characters():
    from dailypapers.syndication.citations import bibtex

    paper = Paper(
        arxiv_id="2510.00001", title="100% of {braces} & $math_x$ #1", authors=[{"name": "A B"}]
    )
    text = bibtex([paper])
    assert r"100\% of \{braces\} \& \$math\_x\$ \#1" in text
