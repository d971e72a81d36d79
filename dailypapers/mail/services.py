"""Queueing messages and delivering them, each once, with retries.

A message is claimed by moving its next attempt forward by a lease (a
conditional update), so two senders never send it both, and one that died
while sending leaves it to be sent again once the lease ends. A temporary
failure (a 4xx answer, a refused or dropped connection, a timeout) is tried
again with exponential backoff up to MAIL_MAX_ATTEMPTS; a permanent one (5xx)
marks the message failed with the server's reason.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from dailypapers.core.email import delivery_connection, is_temporary
from dailypapers.mail.models import OutgoingMail

log = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=5)
# The first try, while a person waits for the page: a server that does not
# answer by then is left to the worker.
HURRIED_TIMEOUT = 5


def mail_queue(*, message: EmailMessage) -> OutgoingMail:
    return OutgoingMail.objects.create(
        from_email=message.from_email,
        recipients=list(message.recipients()),
        subject=str(message.subject)[:998],
        message=message.message().as_bytes(linesep="\r\n"),
    )


class _Stored:
    """A queued message as Django's mail backends take one."""

    encoding = None

    def __init__(self, row: OutgoingMail) -> None:
        self.from_email = row.from_email
        self._recipients = list(row.recipients)
        self._raw = bytes(row.message)

    def recipients(self) -> list[str]:
        return self._recipients

    def message(self) -> _Raw:
        return _Raw(self._raw)


class _Raw:
    """The stored bytes, as a backend asks a message for them."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.raw.replace(b"\r\n", linesep.encode())


def _claim(pk: int, now: dt.datetime) -> OutgoingMail | None:
    claimed = OutgoingMail.objects.filter(
        pk=pk, status=OutgoingMail.Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    return OutgoingMail.objects.filter(pk=pk).first() if claimed else None


def mail_deliver(*, pk: int, hurry: bool = False) -> bool:
    """Send one queued message if it is due and nobody else is sending it; whether it went."""
    now = timezone.now()
    row = _claim(pk, now)
    if row is None:
        return False
    connection = delivery_connection(timeout=HURRIED_TIMEOUT if hurry else None)
    try:
        connection.send_messages([_Stored(row)])
    except Exception as exc:
        _failed(row, exc, now)
        return False
    OutgoingMail.objects.filter(pk=row.pk).update(
        status=OutgoingMail.Status.SENT, sent_at=timezone.now(), attempts=row.attempts + 1,
        last_error="",
    )  # fmt: skip
    return True


def _failed(row: OutgoingMail, exc: Exception, now: dt.datetime) -> None:
    attempts = row.attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if is_temporary(exc) and attempts < settings.MAIL_MAX_ATTEMPTS:
        delay = settings.MAIL_RETRY_SECONDS * 2 ** (attempts - 1)
        OutgoingMail.objects.filter(pk=row.pk).update(
            attempts=attempts, next_attempt_at=now + dt.timedelta(seconds=delay), last_error=error
        )
        log.warning(
            "mail %s to %s: %s; trying again in %.0f s", row.pk, row.recipients, error, delay
        )
        return
    OutgoingMail.objects.filter(pk=row.pk).update(
        status=OutgoingMail.Status.FAILED, attempts=attempts, last_error=error
    )
    log.error("mail %s to %s failed for good: %s", row.pk, row.recipients, error)


def mail_deliver_due(*, limit: int = 500) -> tuple[int, int]:
    """Send what is due; (sent, still waiting or failed)."""
    due = list(
        OutgoingMail.objects.filter(
            status=OutgoingMail.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = sum(mail_deliver(pk=pk) for pk in due)
    return sent, len(due) - sent
