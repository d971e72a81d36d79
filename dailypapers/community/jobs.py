"""The community's scheduled job: submissions that waited for arXiv."""

from __future__ import annotations

import datetime as dt

from dailypapers.community.submissions import queued_submissions_retry
from dailypapers.core.schedule import Job, every


def submissions_round(last_success_at: dt.datetime | None) -> str:
    listed, waiting = queued_submissions_retry()
    return f"queued submissions: {listed} listed, {waiting} still waiting for arXiv"


def jobs() -> list[Job]:
    return [Job("queued-submissions", submissions_round, every(dt.timedelta(minutes=5)))]
