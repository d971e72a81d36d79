"""Pages kept for visitors not signed in (pages/page_cache.py): served from the
shared cache, and out of it the moment a vote, comment, pin or new featuring
changes what they show; conditional GET; a token of their own for each
visitor. On the database cache and on Redis (CACHE_URL), both real."""

from __future__ import annotations

import datetime as dt
import re
import secrets

import pytest
import redis as redis_client
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dailypapers.core import page_version
from dailypapers.pages import page_cache
from tests.factories import FEATURED_AT, make_paper

pytestmark = pytest.mark.django_db

DAY = FEATURED_AT.date()
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    """The page cache on the database (the default) or on Redis."""
    settings.PAGE_CACHE_SECONDS = 600
    if request.param == "redis":
        prefix = f"dp-test-{secrets.token_hex(4)}"
        redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        settings.CACHES = {
            "default": {**redis, "KEY_PREFIX": prefix},
            "pages": {**redis, "KEY_PREFIX": prefix + "-pages"},
        }
        yield request.param
        # Only this test's keys: a cache's clear() empties the whole Redis
        # database, under the feet of a test run beside this one.
        client = redis_client.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}*"):
            client.delete(key)
    else:
        yield request.param


@pytest.fixture
def reader():
    """A visitor who is not signed in."""
    return Client()


@pytest.fixture
def actor(member):
    actor = Client()
    actor.force_login(member)
    return actor


def cached(reader: Client, url: str) -> str:
    """The page, asked twice: the second answer must come from the cache."""
    reader.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(url)
    assert response.status_code == 200
    assert response.get("X-Cache") == "hit", f"{url} was rendered again"
    page_queries = [q for q in queries.captured_queries if "dailypapers_pages" not in q["sql"]]
    assert page_queries == []
    return response.content.decode()


def upvotes_shown(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="upvote-count">(\d+)<', page)]


PAGES = ["/papers/", f"/papers/date/{DAY}", "/papers/trending", "/papers/2510.06217"]


def test_a_vote_shows_on_the_next_request_of_every_page(shared_cache, reader, actor, paper):
    before = {url: upvotes_shown(cached(reader, url)) for url in PAGES}
    assert all(counts and counts[0] == 0 for counts in before.values()), before
    assert actor.post(f"/votes/{paper.pk}", {"up": "1"}).status_code == 302
    for url in PAGES:
        assert upvotes_shown(reader.get(url).content.decode())[0] == 1, url


def test_a_comment_shows_on_the_next_request(shared_cache, reader, actor, paper):
    assert "Lovely result" not in cached(reader, "/papers/2510.06217")
    day_page = cached(reader, f"/papers/date/{DAY}")
    assert actor.post(f"/comments/on/{paper.pk}", {"body": "Lovely result"}).status_code == 302
    assert "Lovely result" in reader.get("/papers/2510.06217").content.decode()
    assert reader.get(f"/papers/date/{DAY}").content.decode() != day_page  # its comment count


def test_a_pin_shows_on_the_next_request(shared_cache, reader, curator, paper):
    make_paper("2510.06218", title="The other paper", day=DAY, upvotes=50)
    page = cached(reader, f"/papers/date/{DAY}")
    assert page.index("The other paper") < page.index(paper.title) and "Pinned" not in page
    acting = Client()
    acting.force_login(curator)
    response = acting.post(f"/curate/{paper.pk}", {"day": str(DAY), "action": "pin"})
    assert response.status_code == 302
    page = reader.get(f"/papers/date/{DAY}").content.decode()
    assert "Pinned" in page and page.index(paper.title) < page.index("The other paper")


def test_a_new_featuring_shows_on_the_next_request(shared_cache, reader, curator, paper):
    later = DAY + dt.timedelta(days=1)
    make_paper("2510.06219", title="A candidate paper")
    assert "A candidate paper" not in cached(reader, f"/papers/week/{later:%G-W%V}")
    acting = Client()
    acting.force_login(curator)
    candidate = make_paper("2510.06219", title="A candidate paper")
    response = acting.post(f"/curate/{candidate.pk}", {"day": str(later), "action": "feature"})
    assert response.status_code == 302
    assert "A candidate paper" in reader.get(f"/papers/week/{later:%G-W%V}").content.decode()
    # And one the daily import brings.
    cached(reader, "/papers/trending")
    make_paper("2510.06220", title="Imported today", day=later)
    assert "Imported today" in reader.get("/papers/trending").content.decode()


def test_signed_in_pages_are_never_taken_from_or_put_in_the_cache(
    shared_cache, reader, actor, paper
):
    cached(reader, "/papers/2510.06217")
    actor.post(f"/votes/{paper.pk}", {"up": "1"})
    own = actor.get("/papers/2510.06217")
    assert 'aria-pressed="true"' in own.content.decode()
    assert "private" in own["Cache-Control"]
    # The member's page (their vote pressed) was not kept for visitors.
    assert 'aria-pressed="true"' not in cached(reader, "/papers/2510.06217")


def test_each_visitor_gets_a_token_of_their_own_that_works(shared_cache, paper):
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        response = visitor.get(f"/papers/date/{DAY}")
        body = response.content.decode()
        assert page_cache.placeholder() not in body
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        tokens.append(token)
        subscribed = visitor.post(
            "/digest/subscribe",
            {
                "email": f"{secrets.token_hex(3)}@example.org",
                "cadence": "daily",
                "csrfmiddlewaretoken": token,
            },
        )
        assert subscribed.status_code in (200, 302), subscribed.content[:300]
    assert tokens[0] != tokens[1]


def test_conditional_get_answers_not_modified_until_the_page_changes(
    shared_cache, reader, actor, paper
):
    url = f"/papers/date/{DAY}"
    first = reader.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "no-cache" and "Cookie" in first["Vary"]
    assert reader.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert reader.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    actor.post(f"/votes/{paper.pk}", {"up": "1"})
    changed = reader.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_members_unchanged_page_is_not_sent_twice(actor, paper):
    first = actor.get("/papers/2510.06217")
    assert first.status_code == 200 and first["ETag"]
    assert actor.get("/papers/2510.06217", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    actor.post(f"/votes/{paper.pk}", {"up": "1"})
    assert actor.get("/papers/2510.06217", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_waiting_notice_and_htmx_parts_are_not_served_the_whole_cached_page(
    shared_cache, reader, paper
):
    full = cached(reader, "/papers/search?q=attention")
    part = reader.get("/papers/search?q=attention", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and "<html" not in part
    assert reader.get("/papers/search?q=attention").get("X-Cache") == "hit"
    reader.cookies["messages"] = "anything"
    assert reader.get("/papers/search?q=attention").get("X-Cache") is None


def test_a_lost_version_renders_again_and_starts_a_new_one(shared_cache, reader, paper):
    cached(reader, "/papers/")
    page_version.cache().delete(page_version.KEY)
    assert reader.get("/papers/").status_code == 200
    assert page_version.cache().get(page_version.KEY)
    cached(reader, "/papers/")


def test_another_process_serves_the_page_from_the_shared_cache_compressed(
    shared_cache, reader, paper, rf
):
    url = f"/papers/date/{DAY}"
    first = reader.get(url)
    page_cache._near.clear()  # as another app process, which has not served it yet
    again = reader.get(url)
    assert again.get("X-Cache") == "hit" and again["ETag"] == first["ETag"]
    assert len(again.content) == len(first.content)
    shared = page_version.cache().get(page_cache._key(rf.get(url)))
    assert len(shared[1]) < len(first.content) / 2  # zlib: pages are mostly markup
