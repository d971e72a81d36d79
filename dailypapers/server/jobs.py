"""The jobs the worker runs. Each app contributes its own."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from dailypapers.digests.delivery import send_due
from dailypapers.ingest.jobs import arxiv_daily
from dailypapers.search.services import index_job
from dailypapers.server.scheduler import Job, daily_at, every


def all_jobs() -> list[Job]:
    """In the order they run when several are due: new papers first, then their
    vectors, then the digests that announce them."""
    jobs = []
    if settings.ARXIV_CATEGORIES:
        jobs.append(Job("arxiv-daily", arxiv_daily, daily_at(settings.ARXIV_INGEST_AT)))
    if settings.SEARCH_EMBEDDINGS:
        jobs.append(Job("search-index", index_job, every(dt.timedelta(minutes=1))))
    jobs.append(Job("digests", digests_job, every(dt.timedelta(minutes=1))))
    return jobs


def digests_job(last_success_at: dt.datetime | None) -> str:
    return send_due().summary()
