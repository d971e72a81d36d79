"""A digest as an email: subject, plain text and HTML from three templates.

Both parts carry the same papers and links. The HTML uses inline styles and
tables only (what mail clients render), no scripts, no remote images. Every
message has RFC 8058 one-click unsubscribe headers and a Message-ID derived
from the subscription and period, so a receiver can recognise a repeat.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from dailypapers.core.email import templated_message
from dailypapers.core.site import absolute_url, domain
from dailypapers.digests import tokens
from dailypapers.digests.compose import Digest, compose
from dailypapers.digests.periods import last_complete
from dailypapers.papers.text import excerpt


def message_id(subscription, digest: Digest) -> str:
    period = digest.period
    return f"<digest-{subscription.pk}-{period.cadence}-{period.start:%Y%m%d}@{domain()}>"


class PaperBlocks:
    """Each paper's part of a digest, rendered once per sending run.

    Thousands of digests of one period share the same few dozen papers: their
    blocks (``_paper.html``, ``_paper.txt``) are rendered once, and each
    message's templates only arrange them, with the reason a paper is there.
    """

    def __init__(self) -> None:
        self._blocks: dict[int, dict] = {}

    def get(self, paper) -> dict:
        block = self._blocks.get(paper.pk)
        if block is None:
            names = paper.author_names
            values = {
                "title": paper.title,
                "url": absolute_url(paper.get_absolute_url()),
                "authors": ", ".join(names[:3]) + (", …" if len(names) > 3 else ""),
                "upvotes": paper.upvote_count,
                "excerpt": excerpt(paper.abstract, 160),
            }
            block = {
                **values,
                "html": render_to_string("digests/email/_paper.html", values),
                "text": render_to_string("digests/email/_paper.txt", values),
            }
            self._blocks[paper.pk] = block
        return block


def context(subscription, digest: Digest, blocks: PaperBlocks | None = None) -> dict:
    blocks = blocks or PaperBlocks()
    unsubscribe = absolute_url(
        reverse("digests:unsubscribe", kwargs={"token": tokens.unsubscribe_token(subscription)})
    )

    def entry(item):
        return {**blocks.get(item.paper), "reason": item.reason}

    items = [*digest.top, *digest.for_you, *digest.matches]
    return {
        "count": len(items),
        "first_title": items[0].paper.title if items else "",
        "site_name": settings.SITE_NAME,
        "site_url": absolute_url("/"),
        "subscription": subscription,
        "period": digest.period,
        "top": [entry(i) for i in digest.top],
        "for_you": [entry(i) for i in digest.for_you],
        "matches": [entry(i) for i in digest.matches],
        "unsubscribe_url": unsubscribe,
        "settings_url": absolute_url(reverse("digests:settings")),
        "trending_url": absolute_url(reverse("papers:trending")),
    }


def render_digest(
    subscription, digest: Digest, blocks: PaperBlocks | None = None
) -> EmailMultiAlternatives:
    values = context(subscription, digest, blocks)
    return templated_message(
        "digests/email/digest",
        values,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{values['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": message_id(subscription, digest),
            "Auto-Submitted": "auto-generated",
            "Precedence": "bulk",
        },
    )


def render_confirmation(subscription) -> EmailMultiAlternatives:
    link = absolute_url(
        reverse("digests:confirm", kwargs={"token": tokens.confirm_token(subscription)})
    )
    values = {"site_name": settings.SITE_NAME, "link": link, "subscription": subscription}
    return templated_message(
        "digests/email/confirm",
        values,
        to=[subscription.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def preview_context(subscription, *, now) -> dict:
    """What the preview page shows of a subscription's next digest: the period,
    the papers and, unless it is empty, the message as it would be sent."""
    period = last_complete(cadence=subscription.cadence, tz=subscription.time_zone, now=now)
    digest = compose(subscription, period=period)
    values = {"sub": subscription, "digest": digest, "period": period}
    if not digest.is_empty:
        message = render_digest(subscription, digest)
        values.update(
            subject=message.subject,
            text=message.body,
            html=message.alternatives[0][0],
            email=context(subscription, digest),
        )
    return values
