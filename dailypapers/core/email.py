"""Every email is three templates (``<name>-subject.txt``, ``-body.txt``,
``-body.html``), and what the outbox delivers with."""

from __future__ import annotations

import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string


def templated_message(
    name: str, context: dict, *, to: list[str], headers: dict[str, str] | None = None
) -> EmailMultiAlternatives:
    """The message the three templates of ``name`` make, plain text with an HTML alternative."""
    subject = " ".join(render_to_string(f"{name}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{name}-body.txt", context),
        to=to,
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"{name}-body.html", context), "text/html")
    return message


def delivery_connection(*, timeout: float | None = None):
    """A connection to what delivers mail (settings.MAIL_DELIVERY_BACKEND: SMTP,
    or files in the data directory); settings.EMAIL_BACKEND is the outbox in front of it."""
    options = {} if timeout is None else {"timeout": timeout}
    if settings.MAIL_DELIVERY_BACKEND.endswith(".smtp.EmailBackend"):
        return get_connection(settings.MAIL_DELIVERY_BACKEND, **options)
    return get_connection(settings.MAIL_DELIVERY_BACKEND)


def is_temporary(exc: Exception) -> bool:
    """Whether sending may succeed later: a 4xx answer, a refused or dropped connection."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(
        exc, smtplib.SMTPServerDisconnected | ConnectionError | socket.timeout | OSError
    )
