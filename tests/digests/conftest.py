from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.digests.models import Subscription
from dailypapers.papers.models import Listing
from tests.factories import make_paper
from tests.smtp_sink import SinkServer, SmtpSink

NOW = dt.datetime(2025, 10, 9, 9, 0, tzinfo=dt.UTC)  # digests of Oct 8 (UTC) are due
DAY = dt.date(2025, 10, 8)


@pytest.fixture
def sink(settings):
    server = SinkServer(SmtpSink())
    with server:
        server.django_settings(settings)
        settings.DIGEST_MAX_PER_SECOND = 0
        yield server.sink


@pytest.fixture
def day_papers(db):
    """Five papers featured on DAY at noon UTC, more upvotes first."""
    papers = []
    topics = ["speech recognition", "graph networks", "protein folding", "reinforcement learning",
              "mutual information estimation"]  # fmt: skip
    for i, topic in enumerate(topics):
        papers.append(
            make_paper(
                f"2510.0{i + 1:04d}",
                title=f"A study of {topic}",
                abstract=f"We study {topic} at scale.",
                day=DAY,
                upvotes=50 - 10 * i,
                submitted_at=dt.datetime(2025, 10, 8, 12, tzinfo=dt.UTC),
                categories=["cs.CL"] if i % 2 == 0 else ["cs.LG", "stat.ML"],
            )
        )
    return papers


def subscriber(email: str, **fields) -> Subscription:
    fields.setdefault("status", Subscription.Status.ACTIVE)
    fields.setdefault("confirmed_at", NOW - dt.timedelta(days=30))
    return Subscription.objects.create(email=email, **fields)


def featured_listing_count() -> int:
    return Listing.objects.filter(day=DAY).count()
