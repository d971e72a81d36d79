"""The mail provider's bounce reports."""

import pytest

from dailypapers.digests.models import Subscription, Suppression
from tests.digests.conftest import subscriber

pytestmark = pytest.mark.django_db


def test_bounce_webhook(client, db, settings):
    sub = subscriber("bounce@example.org")
    url = "/digest/bounces"
    body = {"email": "Bounce@example.org", "type": "hard", "reason": "550 no such user"}
    assert client.post(url, body, content_type="application/json").status_code == 403  # disabled
    settings.DIGEST_WEBHOOK_SECRET = "s3cret-for-tests"
    wrong = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope"
    )
    assert wrong.status_code == 403
    auth = {"HTTP_AUTHORIZATION": "Bearer s3cret-for-tests"}
    bad = client.post(url, "{not json", content_type="application/json", **auth)
    assert bad.status_code == 400 and "malformed JSON" in bad.json()["error"]
    soft = client.post(url, {**body, "type": "soft"}, content_type="application/json", **auth)
    assert soft.json() == {"suppressed": False}
    assert client.post(url, body, content_type="application/json", **auth).status_code == 202
    assert Suppression.objects.filter(email="bounce@example.org").exists()
    assert Subscription.objects.get(pk=sub.pk).status == "unsubscribed"
    # A suppressed address cannot be subscribed again by the form.
    client.post("/digest/subscribe", {"email": "bounce@example.org"})
    assert Subscription.objects.get(pk=sub.pk).status == "unsubscribed"
