"""The outbox every mail goes through: a mail server that is down fails no
request, and what waits is delivered later, once, over real SMTP."""

import datetime as dt

import pytest
import time_machine
from django.core.mail import send_mail
from django.utils import timezone

from dailypapers.mail.models import OutgoingMail
from dailypapers.mail.services import mail_deliver, mail_deliver_due
from tests.processes import free_port
from tests.smtp_sink import SinkServer, SmtpSink, message_links

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_down(settings):
    """The site's mail through its outbox to an SMTP port nobody listens on."""
    settings.EMAIL_BACKEND = "dailypapers.mail.backend.OutboxBackend"
    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings


def later(minutes: int):
    return time_machine.travel(timezone.now() + dt.timedelta(minutes=minutes), tick=False)


def test_subscribing_while_smtp_is_down_answers_and_the_mail_goes_later(
    client, smtp_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/digest/subscribe", {"email": "reader@example.org"}, follow=True)
    assert response.status_code == 200
    assert "on its way to reader@example.org" in response.content.decode()
    (waiting,) = OutgoingMail.objects.all()
    assert waiting.status == "pending" and waiting.attempts == 1
    assert "Connection refused" in waiting.last_error

    with SinkServer(SmtpSink()) as server, later(minutes=2):
        smtp_down.EMAIL_PORT = server.port  # the server is back
        assert mail_deliver_due() == (1, 0)
        assert mail_deliver_due() == (0, 0)  # once
        (message,) = server.sink.messages
    assert message["To"] == "reader@example.org"
    assert any("/digest/confirm/" in link for link in message_links(message))
    assert OutgoingMail.objects.get().status == "sent"


def test_signing_up_while_smtp_is_down_answers_and_keeps_the_mail(
    client, smtp_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "new@example.org",
                "username": "newcomer",
                "password1": "Compiler-Nanoseconds-1906",
                "password2": "Compiler-Nanoseconds-1906",
            },
        )
    assert response.status_code == 302
    waiting = OutgoingMail.objects.get()
    assert waiting.status == "pending" and waiting.recipients == ["new@example.org"]


def test_a_permanent_refusal_is_not_tried_again(smtp_down):
    with SinkServer(SmtpSink(permanent_for={"gone@example.org"})) as server:
        smtp_down.EMAIL_PORT = server.port
        send_mail("Hello", "Body", None, ["gone@example.org"])
        row = OutgoingMail.objects.get()
        assert mail_deliver(pk=row.pk) is False
        row.refresh_from_db()
        assert row.status == "failed" and "550" in row.last_error
        with later(minutes=600):
            assert mail_deliver_due() == (0, 0)


def test_a_message_claimed_by_one_sender_is_not_sent_by_another(smtp_down):
    with SinkServer(SmtpSink(hold_message=1)) as server:
        smtp_down.EMAIL_PORT = server.port
        send_mail("Hello", "Body", None, ["reader@example.org"])
        row = OutgoingMail.objects.get()
        # Another sender claimed it a moment ago: its lease holds.
        OutgoingMail.objects.filter(pk=row.pk).update(
            next_attempt_at=timezone.now() + dt.timedelta(minutes=5)
        )
        assert mail_deliver(pk=row.pk) is False and server.sink.attempts == 0
