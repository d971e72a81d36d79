"""The daily arXiv ingest as a scheduled job."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from dailypapers.core.schedule import Job, daily_at, once
from dailypapers.ingest import clients
from dailypapers.ingest.harvest import arxiv_ingest
from dailypapers.ingest.services import snapshot_import


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


def arxiv_metadata(last_success_at: dt.datetime | None) -> str:
    """arXiv's metadata for the papers the site already has (ARXIV_METADATA_FILE):
    the Daily Papers files give no categories, and arXiv is the authority on
    titles, authors and dates. Runs in the background after the first start."""
    path = settings.ARXIV_METADATA_FILE
    report = snapshot_import(path=path, show_progress=False, only_stored=True)
    return f"{path.name}: {report.entries} records read, {report.result.updated} papers updated"


def jobs() -> list[Job]:
    found = []
    if settings.ARXIV_CATEGORIES:
        found.append(Job("arxiv-daily", arxiv_daily, daily_at(settings.ARXIV_INGEST_AT)))
    if settings.ARXIV_METADATA_FILE and settings.ARXIV_METADATA_FILE.is_file():
        found.append(Job("arxiv-metadata", arxiv_metadata, once))
    return found
