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
