"""The jobs the worker runs. Each app contributes its own."""

from __future__ import annotations

from django.conf import settings

from dailypapers.ingest.jobs import arxiv_daily
from dailypapers.server.scheduler import Job, daily_at


def all_jobs() -> list[Job]:
    jobs = []
    if settings.ARXIV_CATEGORIES:
        jobs.append(Job("arxiv-daily", arxiv_daily, daily_at(settings.ARXIV_INGEST_AT)))
    return jobs
