"""Digest pages against a real SMTP server on loopback: double opt-in, bad
addresses, forged and expired links, one-click unsubscribe, a member's settings."""

import datetime as dt

import pytest
import time_machine
from bs4 import BeautifulSoup

from dailypapers.digests import tokens
from dailypapers.digests.models import Subscription
from tests.digests.conftest import DAY, NOW, subscriber
from tests.smtp_sink import message_links

pytestmark = pytest.mark.django_db


def test_double_opt_in_through_real_smtp(client, sink, django_capture_on_commit_callbacks):
    # The outbox hands a message to the server once its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/digest/subscribe", {"email": "reader@example.org", "timezone": "Europe/Paris"}
        )
    assert response.status_code == 302
    sub = Subscription.objects.get()
    assert (sub.status, sub.time_zone) == ("pending", "Europe/Paris")
    (message,) = sink.messages
    assert message["To"] == "reader@example.org"
    link = next(u for u in message_links(message) if "/digest/confirm/" in u)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200 and Subscription.objects.get().status == "pending"
    assert client.post("/" + path).status_code == 200
    assert Subscription.objects.get().status == "active"
    # Asking again for an active address: the same answer, no email.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/digest/subscribe", {"email": "READER@example.org"})
    assert len(sink.messages) == 1 and Subscription.objects.count() == 1


@pytest.mark.parametrize("email", ["", "not-an-email", "a@" + "b" * 300 + ".org", "<script>@x.org"])
def test_bad_addresses_are_refused_clearly(client, sink, email):
    response = client.post("/digest/subscribe", {"email": email}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "valid email" in response.content.decode()
    assert not Subscription.objects.exists() and not sink.messages


@pytest.mark.parametrize(
    "token", ["", "x", "1:forged", tokens.confirm_token(Subscription(pk=1)) + "x"]
)
def test_forged_confirmation_tokens(client, token):
    response = client.post(f"/digest/confirm/{token or 'x'}")
    assert response.status_code == 400 and "not valid" in response.content.decode()


def test_expired_confirmation(client, db):
    sub = Subscription.objects.create(email="late@example.org")
    token = tokens.confirm_token(sub)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=8)):
        response = client.post(f"/digest/confirm/{token}")
    assert response.status_code == 400 and "expired" in response.content.decode()


def test_one_click_unsubscribe_resubscribe_and_forget(client, db):
    sub = subscriber("leave@example.org")
    token = tokens.unsubscribe_token(sub)
    page = client.get(f"/digest/unsubscribe/{token}")  # a scanner: nothing happens
    assert page.status_code == 200 and Subscription.objects.get().status == "active"
    response = client.post(
        f"/digest/unsubscribe/{token}", "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 200 and Subscription.objects.get().status == "unsubscribed"
    client.post(f"/digest/resubscribe/{token}")
    assert Subscription.objects.get().status == "active"
    client.post(f"/digest/forget/{token}")
    assert not Subscription.objects.exists()
    gone = client.get(f"/digest/unsubscribe/{token}")
    assert gone.status_code == 400 and "no longer exists" in gone.content.decode()


@pytest.mark.parametrize("token", ["1", "1:AAAA", "abc:def:ghi", "%00"])
def test_forged_unsubscribe_tokens(client, db, token):
    sub = subscriber("keep@example.org")
    response = client.post(f"/digest/unsubscribe/{token}")
    assert response.status_code in (400, 404)
    assert Subscription.objects.get(pk=sub.pk).status == "active"


@time_machine.travel(NOW, tick=False)
def test_member_settings_and_preview(client, member, day_papers):
    from allauth.account.models import EmailAddress

    client.force_login(member)
    refused = client.post("/digest/settings", {"active": "1", "timezone": "UTC", "top_n": "2"})
    assert "Verify your email" in refused.content.decode()
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    bad = client.post("/digest/settings", {"active": "1", "timezone": "Mars/Olympus", "top_n": "2"})
    assert bad.status_code == 400 and "Unknown time zone" in bad.content.decode()
    ok = client.post("/digest/settings", {
        "active": "1", "cadence": "daily", "timezone": "UTC", "top_n": "2",
        "exclude_keywords": "speech", "saved_searches": "protein folding\n\n",
    })  # fmt: skip
    assert ok.status_code == 302
    sub = Subscription.objects.get(email=member.email)
    assert (sub.status, sub.top_n, sub.saved_searches) == ("active", 2, ["protein folding"])
    preview = client.get("/digest/preview").content.decode()
    assert "A study of graph networks" in preview and "speech recognition" not in preview


def test_every_feed_page_offers_the_subscription(client, day_papers):
    body = client.get(f"/papers/date/{DAY}").content.decode()
    assert (
        'action="/digest/subscribe"' in body and "Get trending papers in your email inbox" in body
    )


@time_machine.travel(NOW, tick=False)
def test_a_member_who_subscribes_another_address_sees_that_one_everywhere(
    client, member, sink, day_papers, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/digest/subscribe", {"email": "ada-digest@example.org"})
    settings_page = BeautifulSoup(client.get("/digest/settings").content, "html.parser")
    address = settings_page.select_one(".digest-address").get_text(" ", strip=True)
    assert "ada-digest@example.org" in address and "waiting for you to confirm" in address
    assert member.email not in address
    preview = client.get("/digest/preview")
    assert preview.status_code == 200
    assert "ada-digest@example.org" in preview.content.decode()
    # The link in the mail confirms it: the member's one digest is active.
    (message,) = sink.messages
    link = next(u for u in message_links(message) if "/digest/confirm/" in u)
    client.post("/" + link.split("://", 1)[1].split("/", 1)[1])
    (sub,) = Subscription.objects.all()
    assert (sub.email, sub.status, sub.user) == ("ada-digest@example.org", "active", member)


def test_a_members_own_verified_address_needs_no_second_confirmation(client, member, sink):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    client.force_login(member)
    client.post("/digest/subscribe", {"email": member.email})
    (sub,) = Subscription.objects.all()
    assert (sub.status, sub.user) == ("active", member) and not sink.messages


def test_the_settings_checkbox_is_inside_its_label(client, member):
    client.force_login(member)
    soup = BeautifulSoup(client.get("/digest/settings").content, "html.parser")
    label = soup.select_one('input[name="active"]').find_parent("label")
    assert label is not None and "Send me the digest" in label.get_text()
