"""Digests end to end against a real SMTP server on loopback: opt-in, content,
headers, every link, one-click unsubscribe, retries, bounces, exactly once."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command

from dailypapers.digests import tokens
from dailypapers.digests.compose import compose
from dailypapers.digests.delivery import send_due
from dailypapers.digests.models import Delivery, Subscription, Suppression
from dailypapers.digests.periods import is_due, last_complete
from tests.digests.conftest import DAY, NOW, subscriber

pytestmark = pytest.mark.django_db


def links(message) -> list[str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return sorted(set(re.findall(r"https?://[^\s\"<>]+", text + html)))


# -- periods ---------------------------------------------------------------


@pytest.mark.parametrize(
    "tz,expected",
    [("UTC", dt.date(2025, 10, 8)), ("Pacific/Auckland", dt.date(2025, 10, 8)),
     ("America/Los_Angeles", dt.date(2025, 10, 7))],
)  # fmt: skip
def test_a_daily_digest_covers_the_subscribers_last_local_day(tz, expected):
    now = dt.datetime(2025, 10, 9, 3, tzinfo=dt.UTC)  # Oct 8 20:00 in Los Angeles
    period = last_complete(cadence="daily", tz=tz, now=now)
    assert period.start == period.end == expected


def test_weekly_is_the_last_iso_week_and_due_after_the_send_hour(settings):
    settings.DIGEST_SEND_HOUR = 7
    period = last_complete(cadence="weekly", tz="UTC", now=NOW)
    assert (period.start, period.end) == (dt.date(2025, 9, 29), dt.date(2025, 10, 5))
    daily = last_complete(cadence="daily", tz="UTC", now=NOW)
    assert is_due(daily, now=NOW) and not is_due(daily, now=NOW.replace(hour=6))


# -- opt-in ----------------------------------------------------------------


def test_double_opt_in_through_real_smtp(client, sink):
    response = client.post(
        "/digest/subscribe", {"email": "reader@example.org", "timezone": "Europe/Paris"}
    )
    assert response.status_code == 302
    sub = Subscription.objects.get()
    assert (sub.status, sub.time_zone) == ("pending", "Europe/Paris")
    (message,) = sink.messages
    assert message["To"] == "reader@example.org"
    link = next(u for u in links(message) if "/digest/confirm/" in u)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200 and Subscription.objects.get().status == "pending"
    assert client.post("/" + path).status_code == 200
    assert Subscription.objects.get().status == "active"
    # Asking again for an active address: the same answer, no email.
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


# -- content ---------------------------------------------------------------


def test_top_n_excludes_and_filters(day_papers, settings):
    period = last_complete(cadence="daily", tz="UTC", now=NOW)
    plain = compose(subscriber("a@example.org", top_n=2), period=period)
    assert [i.paper.title for i in plain.top] == [
        "A study of speech recognition",
        "A study of graph networks",
    ]
    assert plain.matches == []
    picky = compose(subscriber("b@example.org", top_n=2, exclude_keywords="speech, graph",
                               include_keywords="mutual information", categories="stat"), period=period)  # fmt: skip
    assert [i.paper.title for i in picky.top] == [
        "A study of protein folding",
        "A study of reinforcement learning",
    ]
    assert [(i.paper.title, i.reason) for i in picky.matches] == [
        ("A study of mutual information estimation", "mentions “mutual information”")
    ]
    only_filters = compose(subscriber("c@example.org", top_n=0, categories="cs.LG"), period=period)
    assert [i.reason for i in only_filters.matches] == ["in cs.LG", "in cs.LG"]


def test_empty_digests_say_why(day_papers):
    nothing = last_complete(cadence="daily", tz="UTC", now=NOW + dt.timedelta(days=5))
    digest = compose(subscriber("a@example.org"), period=nothing)
    assert digest.is_empty and "No papers were featured" in digest.empty_reason
    period = last_complete(cadence="daily", tz="UTC", now=NOW)
    excluded = compose(subscriber("b@example.org", exclude_keywords="study"), period=period)
    assert excluded.is_empty and "excluded keywords removed all" in excluded.empty_reason


def test_saved_searches_find_new_papers_of_the_period(day_papers):
    period = last_complete(cadence="daily", tz="UTC", now=NOW)
    digest = compose(
        subscriber("s@example.org", top_n=0, saved_searches=["protein folding"]), period=period
    )
    assert digest.matches and digest.matches[0].paper.title == "A study of protein folding"
    assert digest.matches[0].reason == "matches your search “protein folding”"


# -- sending ---------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_send_is_idempotent_and_messages_are_complete(client, sink, day_papers):
    subs = [subscriber(f"r{i}@example.org", top_n=3) for i in range(3)]
    subscriber("pending@example.org", status="pending", confirmed_at=None)
    call_command("digests", "send")
    call_command("digests", "send")  # a second run sends nothing new
    assert len(sink.messages) == 3
    for sub in subs:
        (message,) = sink.to(sub.email)
        assert message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
        assert message["Subject"].strip().startswith("A study of speech recognition and 2 more")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert re.fullmatch(
            r"<https?://\S+/digest/unsubscribe/\S+>", message["List-Unsubscribe"].strip()
        )
        assert message["Message-ID"] == f"<digest-{sub.pk}-daily-20251008@127.0.0.1>"
        html = message.get_body(("html",)).get_content()
        assert "<script" not in html and "style=" in html  # inline CSS, no scripts
        for title in ("speech recognition", "graph networks", "protein folding"):
            assert title in message.get_body(("plain",)).get_content() and title in html
        # Every link resolves on the site.
        for url in links(message):
            path = "/" + url.split("://", 1)[1].split("/", 1)[1]
            assert client.get(path, follow=True).status_code == 200, url  # settings: via sign-in
    assert Delivery.objects.filter(status="sent").count() == 3


@time_machine.travel(NOW, tick=False)
def test_no_email_when_nothing_matches(sink, day_papers):
    sub = subscriber("picky@example.org", exclude_keywords="study")
    report = send_due()
    assert (report.sent, report.empty) == (0, 1) and not sink.messages
    assert Delivery.objects.get(subscription=sub).status == "empty"


def test_time_zones_decide_the_day(sink, day_papers):
    # The papers were featured on Oct 8 at 12:00 UTC: Oct 8 05:00 in Los
    # Angeles, Oct 9 01:00 in Auckland. Each digest goes out at 07:00 local
    # after the local day that holds them.
    subscriber("la@example.org", time_zone="America/Los_Angeles")
    subscriber("nz@example.org", time_zone="Pacific/Auckland")
    with time_machine.travel(dt.datetime(2025, 10, 9, 15, tzinfo=dt.UTC), tick=False):
        send_due()  # LA: Oct 8 is over and it is 08:00; Auckland: Oct 9 not over
    assert [m["To"] for m in sink.messages] == ["la@example.org"]
    with time_machine.travel(dt.datetime(2025, 10, 9, 19, tzinfo=dt.UTC), tick=False):
        send_due()  # Auckland: Oct 10 07:00, its Oct 9 digest
    assert [m["To"] for m in sink.messages] == ["la@example.org", "nz@example.org"]
    nz = Delivery.objects.get(subscription__email="nz@example.org")
    assert nz.period_start == dt.date(2025, 10, 9) and nz.papers > 0


@time_machine.travel(NOW, tick=False)
def test_temporary_smtp_failures_are_retried_then_delivered_once(sink, day_papers, settings):
    settings.DIGEST_RETRY_SECONDS = 0
    sink.refuse_first = 2
    sub = subscriber("retry@example.org")
    report = send_due()
    assert report.sent == 1 and report.retried == 2
    assert len(sink.to(sub.email)) == 1
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 3)


@time_machine.travel(NOW, tick=False)
def test_permanent_failures_are_recorded(sink, day_papers):
    sink.permanent_for = {"gone@example.org"}
    subscriber("gone@example.org")
    subscriber("here@example.org")
    report = send_due()
    assert (report.sent, report.failed) == (1, 1)
    failed = Delivery.objects.get(subscription__email="gone@example.org")
    assert failed.status == "failed" and "550" in failed.last_error


@time_machine.travel(NOW, tick=False)
def test_smtp_down_loses_nothing(settings, day_papers):
    from tests.smtp_sink import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_USE_TLS = False
    subscriber("wait@example.org")
    report = send_due()
    assert report.retried == 1 and Delivery.objects.get().status == "pending"


@time_machine.travel(NOW, tick=False)
def test_pacing_respects_the_rate_limit(sink, day_papers, settings):
    settings.DIGEST_MAX_PER_SECOND = 20
    for i in range(6):
        subscriber(f"p{i}@example.org")
    send_due()
    # Sends start 1/20 s apart; arrival times jitter by the send's own time,
    # so the span of five intervals is checked, not each gap.
    span = sink.received_at[-1] - sink.received_at[0]
    assert len(sink.messages) == 6 and span >= 5 * 0.05 - 0.03


# -- leaving ---------------------------------------------------------------


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


# -- bounces ---------------------------------------------------------------


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


# -- members ---------------------------------------------------------------


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


def test_admin_preview(client, django_user_model, db):
    admin_user = django_user_model.objects.create_superuser(
        "root", "root@example.org", "pw-123-root"
    )
    sub = subscriber("x@example.org")
    client.force_login(admin_user)
    response = client.get(f"/admin/digests/subscription/{sub.pk}/preview/")
    assert response.status_code == 200 and "No email would be sent" in response.content.decode()
    assert client.get("/admin/digests/delivery/").status_code == 200


def test_every_feed_page_offers_the_subscription(client, day_papers):
    body = client.get(f"/papers/date/{DAY}").content.decode()
    assert (
        'action="/digest/subscribe"' in body and "Get trending papers in your email inbox" in body
    )
