"""A member's pages are rendered for them, but what every reader sees of them
is read and rendered once per process until the data changes (read_once, the
kept parts of pages, pages/roles.py): a member pays for their own state only,
and a change of role shows on their next request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from dailypapers.community import services
from dailypapers.core import page_version
from tests.factories import FEATURED_AT, make_paper

pytestmark = pytest.mark.django_db

PAPER = "/papers/2510.06217"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# 1 the version of what pages show
# 2 the session, 3 its member
# 4 which of the paper and its related papers the member has upvoted, 5 saved
# 6 the member's collections (the "Add to" list)
MEMBER_PAPER_QUERIES = 6


def test_a_members_paper_page_asks_only_for_what_is_theirs(
    paper, member, django_assert_num_queries
):
    client = signed_in(member)
    assert client.get(PAPER).status_code == 200
    with django_assert_num_queries(MEMBER_PAPER_QUERIES):
        response = client.get(PAPER)
    assert response.status_code == 200
    assert paper.title in response.content.decode()


def test_a_role_given_and_taken_shows_on_the_members_next_request(paper, member):
    client = signed_in(member)
    curators = Group.objects.get(name="Curators")
    assert "Curate" not in client.get(PAPER).content.decode()
    member.groups.add(curators)
    assert 'id="curate-h"' in client.get(PAPER).content.decode()
    member.groups.remove(curators)
    assert 'id="curate-h"' not in client.get(PAPER).content.decode()
    # A group losing the permission counts too.
    member.groups.add(curators)
    assert 'id="curate-h"' in client.get(PAPER).content.decode()
    curators.permissions.clear()
    assert 'id="curate-h"' not in client.get(PAPER).content.decode()


def test_a_superuser_made_so_in_the_admin_sees_the_curation_form(paper, member):
    client = signed_in(member)
    assert 'id="curate-h"' not in client.get(PAPER).content.decode()
    member.is_superuser = True
    member.save()
    assert 'id="curate-h"' in client.get(PAPER).content.decode()


def test_hidden_comments_show_to_their_author_and_to_moderators_only(
    paper, member, other, moderator
):
    comment = services.comment_create(author=other, paper_id=paper.pk, body="Rude words")
    services.comment_moderate(moderator=moderator, comment_id=comment.pk, hidden=True)
    pages = {who.username: signed_in(who).get(PAPER).content.decode() for who in (member, other)}
    pages["mod"] = signed_in(moderator).get(PAPER).content.decode()
    assert "Rude words" not in pages["ada"]
    assert "Rude words" in pages["bob"] and "Rude words" in pages["mod"]
    assert "Restore" in pages["mod"] and "Restore" not in pages["bob"]
    # And the member made moderator sees it on their next request.
    member.groups.add(Group.objects.get(name="Moderators"))
    assert "Rude words" in signed_in(member).get(PAPER).content.decode()


def test_signing_in_leaves_cached_pages_alone(paper, member):
    """Signing in stamps the member's last_login: not a change of role."""
    Client().get(PAPER)
    before = page_version.cache().get(page_version.KEY)
    assert Client().login(username="ada", password="correct horse 42")
    assert page_version.cache().get(page_version.KEY) == before


def test_a_months_calendar_shows_a_new_featuring_on_the_members_next_request(
    paper, member, curator
):
    """The month's head and calendar are rendered once per process (a kept
    part) until the data changes."""
    client = signed_in(member)
    later = FEATURED_AT.date() + dt.timedelta(days=2)
    calendar_link = f'href="/papers/date/{later}"'
    month = f"/papers/month/{later:%Y-%m}"
    assert calendar_link not in client.get(month).content.decode()
    assert calendar_link not in client.get(month).content.decode()
    candidate = make_paper("2510.06230", title="A candidate paper")
    response = signed_in(curator).post(
        f"/curate/{candidate.pk}", {"day": str(later), "action": "feature"}
    )
    assert response.status_code == 302
    assert calendar_link in client.get(month).content.decode()
