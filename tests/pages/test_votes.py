"""Upvoting from pages: plain form posts, htmx, sign-in, CSRF, rate limits."""

import pytest

from dailypapers.community import services
from dailypapers.community.models import Vote
from tests.factories import FEATURED_AT

pytestmark = pytest.mark.django_db


def test_plain_form_post_redirects_back(client, paper, member):
    client.force_login(member)
    response = client.post(f"/votes/{paper.pk}", {"up": "1", "next": "/papers/trending"})
    assert response.status_code == 302 and response["Location"] == "/papers/trending"
    assert Vote.objects.filter(user=member, paper=paper).exists()


def test_an_offsite_next_is_ignored(client, paper, member):
    client.force_login(member)
    response = client.post(f"/votes/{paper.pk}", {"up": "1", "next": "https://evil.example/"})
    assert response["Location"] == paper.get_absolute_url()


def test_htmx_post_returns_the_button_with_the_new_count(client, paper, member):
    client.force_login(member)
    response = client.post(f"/votes/{paper.pk}", {"up": "1"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-pressed="true"' in body and f">{paper.upvote_count + 1}<" in body
    assert 'name="up" value="0"' in body  # pressing again withdraws


def test_signed_out_votes_go_to_sign_in(client, paper):
    response = client.post(f"/votes/{paper.pk}", {"up": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    htmx = client.post(f"/votes/{paper.pk}", {"up": "1"}, HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"].startswith("/accounts/login/")
    assert not Vote.objects.exists()


def test_votes_need_post_and_a_csrf_token(paper, member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.get(f"/votes/{paper.pk}").status_code == 405
    assert client.post(f"/votes/{paper.pk}", {"up": "1"}).status_code == 403
    assert not Vote.objects.exists()


def test_unknown_paper_is_404(client, member):
    client.force_login(member)
    assert client.post("/votes/999999", {"up": "1"}).status_code == 404


def test_feed_shows_which_papers_the_reader_upvoted(client, paper, member):
    services.vote_set(user=member, paper_id=paper.pk, up=True)
    client.force_login(member)
    body = client.get(f"/papers/date/{FEATURED_AT.date()}").content.decode()
    assert 'class="vote-button voted"' in body


def test_vote_rate_limit_answers_429(client, paper, member, settings):
    settings.RATE_LIMIT_VOTE = "3/m"
    client.force_login(member)
    codes = [client.post(f"/votes/{paper.pk}", {"up": str(i % 2)}).status_code for i in range(5)]
    assert codes[:3] == [302, 302, 302] and codes[3:] == [429, 429]
