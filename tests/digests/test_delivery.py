"""Delivering digests through the outbox over real SMTP: once each, retries, failures, pacing."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command

from dailypapers.digests.delivery import send_due
from dailypapers.digests.models import Delivery
from tests.digests.conftest import NOW, subscriber
from tests.smtp_sink import message_links

pytestmark = pytest.mark.django_db


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
        for url in message_links(message):
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

    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
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
