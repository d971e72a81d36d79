"""Every email is three templates: ``<name>-subject.txt``, ``-body.txt`` and ``-body.html``."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
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
