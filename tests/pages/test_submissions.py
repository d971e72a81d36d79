"""The submit form and the curators' actions, as pages."""

import datetime as dt

import pytest

from dailypapers.papers.models import Listing
from tests.factories import FEATURED_AT

pytestmark = pytest.mark.django_db


TODAY = FEATURED_AT.date() + dt.timedelta(days=2)


def test_submit_view(client, member, paper, settings):
    settings.SUBMISSION_MAX_AGE_DAYS = 100_000
    client.force_login(member)
    assert client.get("/submit").status_code == 200
    response = client.post("/submit", {"reference": paper.arxiv_id})
    assert response.status_code == 302 and response["Location"].startswith("/papers/date/")
    again = client.post("/submit", {"reference": paper.arxiv_id})
    assert again.status_code == 400 and "already on the feed" in again.content.decode()


def test_curate_view_refuses_members(client, member, paper):
    client.force_login(member)
    response = client.post(f"/curate/{paper.pk}", {"day": str(TODAY), "action": "feature"})
    assert response.status_code == 403
    assert not Listing.objects.filter(day=TODAY).exists()


def test_signing_in_to_submit_comes_back_to_the_form(client):
    response = client.get("/submit")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/submit"


def test_a_page_of_a_vote_made_signed_out_is_where_sign_in_returns(client, paper):
    response = client.post(
        f"/votes/{paper.pk}", {"up": "1"}, HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/papers/date/2025-10-08?sort=trending",
    )  # fmt: skip
    assert response["HX-Redirect"] == (
        "/accounts/login/?next=/papers/date/2025-10-08%3Fsort%3Dtrending"
    )


def test_a_submission_while_arxiv_is_down_says_so_and_is_queued(client, member, settings):
    from tests.processes import free_port

    settings.ARXIV_API_URL = f"http://127.0.0.1:{free_port()}/api/query"  # nobody answers
    settings.ARXIV_MIN_INTERVAL = settings.ARXIV_BACKOFF = 0
    client.force_login(member)
    response = client.post("/submit", {"reference": "2510.99999"})
    body = response.content.decode()
    assert response.status_code == 202
    assert "arXiv could not be reached just now, so 2510.99999 is queued" in body
    assert "ConnectError" not in body and "Errno" not in body
    assert "Waiting for arXiv" in body and "2510.99999 for" in body
