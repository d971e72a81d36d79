"""The daily arXiv ingest as a scheduled job."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from dailypapers.core.schedule import Job, daily_at
from dailypapers.ingest import clients
from dailypapers.ingest.harvest import arxiv_ingest


def arxiv_daily(last_success_at: dt.datetime | None) -> str:
    """Harvest from a few days before the last success, so nothing late is missed.

    arXiv skips announcements on holidays and re-dates records that were
    delayed; looking back over days already seen costs a few requests and
    stores nothing twice.
    """
    last = last_success_at or timezone.now()
    since = last.date() - dt.timedelta(days=settings.ARXIV_INGEST_LOOKBACK_DAYS)
    client = clients.polite_client()
    try:
        report = arxiv_ingest(
            oai=clients.oai_client(client),
            since=since,
            categories=settings.ARXIV_CATEGORIES,
            show_progress=False,
        )
    finally:
        client.close()
    result = report.result
    new = sum(report.new_by_day.values())
    return (
        f"since {since}: {report.entries} records, {result.created} new papers, "
        f"{result.updated} updated, {new} new candidates, {len(report.problems)} problems"
    )


def jobs() -> list[Job]:
    if not settings.ARXIV_CATEGORIES:
        return []
    return [Job("arxiv-daily", arxiv_daily, daily_at(settings.ARXIV_INGEST_AT))]
