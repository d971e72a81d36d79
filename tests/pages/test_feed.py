"""Feed pages: day, week and month, navigation, sorting, the "new" mark, trending,
the ranking page, feed autodiscovery, errors."""

import datetime as dt

import pytest
import time_machine
from bs4 import BeautifulSoup

from dailypapers.papers.models import Listing, Paper
from tests.conftest import load_day
from tests.factories import FEATURED_AT, make_paper

pytestmark = pytest.mark.django_db


def cards(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        {
            "ref": card["data-paper"],
            "title": card.select_one(".card-title a").get_text(strip=True),
            "authors": card.select_one(".author-count").get_text(strip=True)
            if card.select_one(".author-count")
            else None,
            "upvotes": int(card.select_one(".upvote-count").get_text()),
            "comments": int(card.select_one(".comment-count").get_text()),
            "new": card.select_one(".badge-new") is not None,
        }
        for card in soup.select("article.card")
    ]


def test_day_lists_exactly_the_papers_of_the_file_in_upvote_order(client, imported):
    response = client.get("/papers/date/2025-10-08")
    assert response.status_code == 200
    expected = [
        {
            "ref": e["paper"]["id"],
            "title": " ".join(e["paper"]["title"].split()),
            "authors": f"{len(e['paper']['authors'])} author{'s' if len(e['paper']['authors']) != 1 else ''}",
            "upvotes": e["paper"]["upvotes"],
        }
        for e in load_day("2025-10-08")
    ]
    expected.sort(key=lambda e: -e["upvotes"])  # stable: the file's order among equal votes
    shown = [{k: c[k] for k in ("ref", "title", "authors", "upvotes")} for c in cards(response)]
    assert shown == expected


def test_latest_day_is_the_default(client, imported):
    response = client.get("/papers/")
    assert response.status_code == 200
    assert response.context["period"].start == dt.date(2026, 4, 16)
    assert len(cards(response)) == Listing.objects.filter(day="2026-04-16").count()


def test_new_mark_only_on_papers_of_the_last_day(client, imported):
    latest = cards(client.get("/papers/"))
    assert latest and all(c["new"] for c in latest)
    assert not any(c["new"] for c in cards(client.get("/papers/date/2025-10-08")))


def test_previous_and_next_skip_empty_days(client, imported):
    # 2025-10-11 and -12 are a weekend without papers; the fixture has 10-08, 10-09, 10-10.
    response = client.get("/papers/date/2025-10-10")
    assert response.context["prev_period"].slug == "2025-10-09"
    assert response.context["next_period"].slug == "2026-04-10"
    assert client.get("/papers/date/2024-12-11").context["prev_period"] is None


def test_sort_by_newest(client, imported):
    response = client.get("/papers/date/2025-10-08?sort=newest")
    refs = [c["ref"] for c in cards(response)]
    published = dict(
        Paper.objects.filter(arxiv_id__in=refs).values_list("arxiv_id", "published_at")
    )
    assert [published[r] for r in refs] == sorted(published.values(), reverse=True)


def test_unknown_sort_falls_back_to_upvotes(client, imported):
    assert client.get("/papers/date/2025-10-08?sort=';DROP").context["sort"] == "upvotes"


def test_week_and_month_views(client, imported):
    week = client.get("/papers/week/2025-W41")
    assert week.status_code == 200
    in_week = Listing.objects.filter(day__range=("2025-10-06", "2025-10-12")).count()
    assert week.context["page"].paginator.count == in_week and len(cards(week)) == min(in_week, 50)
    month = client.get("/papers/month/2026-04")
    # One card per paper: 2604.07429 was featured on two days of the month.
    refs = [c["ref"] for c in cards(month)]
    assert len(refs) == len(set(refs)) and "2604.07429" in refs
    days = {cell.day: cell.count for week in month.context["calendar"] for cell in week if cell.day}
    assert days[dt.date(2026, 4, 10)] == len(load_day("2026-04-10"))
    assert month.context["next_period"] is None and month.context["prev_period"].slug == "2025-10"


def test_long_views_are_paginated(client, imported, settings):
    settings.FEED_PAGE_SIZE = 10
    first = client.get("/papers/week/2025-W41")
    assert len(cards(first)) == 10 and first.context["page"].has_next()
    last_page = first.context["page"].paginator.num_pages
    last = client.get(f"/papers/week/2025-W41?page={last_page}")
    assert 0 < len(cards(last)) <= 10
    assert client.get("/papers/week/2025-W41?page=abc").context["page"].number == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/papers/date/2025-13-45", "is not a date on the calendar"),
        ("/papers/date/yesterday", "is not a date: use YYYY-MM-DD"),
        ("/papers/week/2025-W99", "is not a week of that year"),
        ("/papers/month/2025-00", "is not a month on the calendar"),
        ("/papers/go?date=not-a-date", "is not a date"),
        ("/papers/go", "is not a date"),
    ],
)
def test_malformed_dates_are_404_with_a_message(client, imported, url, message):
    response = client.get(url)
    assert response.status_code == 404
    assert message in response.content.decode()


def test_empty_day_is_404_but_links_to_its_neighbours(client, imported):
    response = client.get("/papers/date/2025-10-11")
    assert response.status_code == 404
    body = response.content.decode()
    assert "No papers were featured on Saturday, October 11, 2025" in body
    assert 'href="/papers/date/2025-10-10"' in body and 'href="/papers/date/2026-04-10"' in body


def test_date_picker_redirects(client, imported):
    response = client.get("/papers/go?date=2025-10-08")
    assert response.status_code == 302 and response["Location"] == "/papers/date/2025-10-08"


def test_hidden_and_candidate_listings_are_not_shown(client, imported):
    Listing.objects.filter(paper__arxiv_id="2510.06217").update(is_hidden=True)
    Listing.objects.filter(paper__arxiv_id="2509.26328").update(status=Listing.Status.CANDIDATE)
    refs = [c["ref"] for c in cards(client.get("/papers/date/2025-10-08"))]
    assert "2510.06217" not in refs and "2509.26328" not in refs and len(refs) == 21


def test_pinned_listing_comes_first(client, imported):
    Listing.objects.filter(paper__arxiv_id="2510.04081").update(is_pinned=True)
    assert cards(client.get("/papers/date/2025-10-08"))[0]["ref"] == "2510.04081"


def test_empty_site_shows_an_empty_feed_not_an_error(client):
    response = client.get("/papers/")
    assert response.status_code == 200 and cards(response) == []


NOW = FEATURED_AT + dt.timedelta(hours=6)


@time_machine.travel(NOW, tick=False)
def test_trending_page_orders_by_decayed_score(client):
    old_hit = make_paper(
        "2510.00010", day=dt.date(2025, 10, 1), upvotes=50,
        submitted_at=FEATURED_AT - dt.timedelta(days=7),
    )  # fmt: skip
    fresh = make_paper("2510.00011", day=FEATURED_AT.date(), upvotes=5)
    make_paper("2510.00012", upvotes=500)  # never featured: not trending
    response = client.get("/papers/trending")
    assert response.status_code == 200
    refs = [p.arxiv_id for p in response.context["page"].object_list]
    assert refs == [fresh.arxiv_id, old_hit.arxiv_id]
    assert "About ranking" in response.content.decode() or "How this is ranked" in (
        response.content.decode()
    )


def test_feed_trending_sort(client):
    make_paper("2510.00020", day=FEATURED_AT.date(), upvotes=3, submitted_at=FEATURED_AT)
    make_paper(
        "2510.00021", day=FEATURED_AT.date(), upvotes=4,
        submitted_at=FEATURED_AT - dt.timedelta(hours=40),
    )  # fmt: skip
    by_votes = client.get(f"/papers/date/{FEATURED_AT.date()}?sort=upvotes").context["page"]
    trending = client.get(f"/papers/date/{FEATURED_AT.date()}?sort=trending").context["page"]
    assert [x.paper.arxiv_id for x in by_votes.object_list] == ["2510.00021", "2510.00020"]
    assert [x.paper.arxiv_id for x in trending.object_list] == ["2510.00020", "2510.00021"]


def test_about_ranking_shows_the_formula_and_settings(client, settings):
    settings.TRENDING_HALF_LIFE_HOURS = 48
    body = client.get("/about/ranking").content.decode()
    assert "score = (1 + upvotes" in body and "48 hours" in body


def test_autodiscovery_links(client, imported):
    soup = BeautifulSoup(client.get("/papers/").content, "html.parser")
    types = {link["type"] for link in soup.find_all("link", rel="alternate")}
    assert {"application/rss+xml", "application/atom+xml"} <= types
    search = BeautifulSoup(client.get("/papers/search?q=attention").content, "html.parser")
    assert any(
        "/feeds/search.rss?" in link["href"] for link in search.find_all("link", rel="alternate")
    )


def test_a_pinned_paper_is_marked_where_it_sits_above_the_others(client, curator):
    from dailypapers.community.submissions import listing_curate
    from tests.factories import FEATURED_AT, make_paper

    day = FEATURED_AT.date()
    popular = make_paper("2510.01001", title="Popular", day=day, upvotes=36)
    pinned = make_paper("2510.01002", title="Pinned one", day=day, upvotes=1)
    listing_curate(curator=curator, paper_id=pinned.pk, day=day, action="pin")
    soup = BeautifulSoup(client.get(f"/papers/date/{day}?sort=upvotes").content, "html.parser")
    cards = soup.select("article.card")
    assert [c["data-paper"] for c in cards] == [pinned.ref, popular.ref]
    badge = cards[0].select_one(".badge-pinned")
    assert badge is not None and "Pinned" in badge.get_text() and badge.get("title")
    assert cards[1].select_one(".badge-pinned") is None


def test_every_card_can_expand_its_abstract_and_the_feed_offers_a_density_switch(client):
    day = FEATURED_AT.date()
    make_paper("2510.01003", title="Short", day=day, abstract="One sentence.")
    make_paper("2510.01004", title="Long", day=day, abstract="Words " * 200)
    for url in (f"/papers/date/{day}", "/papers/trending"):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        switch = soup.select_one("[data-density-switch]")
        assert switch is not None, url
        assert [b["data-density-choice"] for b in switch.select("button")] == [
            "compact",
            "comfortable",
        ]
    # A compact card shows one line of any abstract, so every card, short or long, can open it.
    soup = BeautifulSoup(client.get(f"/papers/date/{day}").content, "html.parser")
    for card in soup.select("article.card"):
        assert card.select_one("details.abstract summary .excerpt") is not None
        assert card.select_one("details.abstract .full").get_text().strip()
    assert soup.find("script", src=lambda src: src and src.endswith("density.js"))
