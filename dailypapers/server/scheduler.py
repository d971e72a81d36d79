"""Scheduled jobs, run by `dailypapers worker` (and by `dailypapers run`).

Any number of workers may run: a job is claimed with a conditional update of
its state row, so only one of them runs it. A failed job is retried after a
pause; its error stays on the state row (and in the admin) until it succeeds.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from dailypapers.server.models import JobState

log = logging.getLogger(__name__)
RETRY_AFTER = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Job:
    name: str
    # Given the time of the last success, returns a one-line summary; raises on failure.
    run: Callable[[dt.datetime | None], str]
    due: Callable[[JobState, dt.datetime], bool]


def daily_at(hhmm: str) -> Callable[[JobState, dt.datetime], bool]:
    """Due once a day from ``hhmm`` UTC, and again after a failure once RETRY_AFTER has passed."""
    hour, minute = (int(part) for part in hhmm.split(":"))

    def due(state: JobState, now: dt.datetime) -> bool:
        slot = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if slot > now:
            slot -= dt.timedelta(days=1)
        if state.last_success_at and state.last_success_at >= slot:
            return False
        started = state.last_started_at
        return started is None or started < slot or started <= now - RETRY_AFTER

    return due


def every(interval: dt.timedelta) -> Callable[[JobState, dt.datetime], bool]:
    def due(state: JobState, now: dt.datetime) -> bool:
        started = state.last_started_at
        return started is None or started <= now - interval

    return due


def run_due_jobs(jobs: Sequence[Job], *, now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """Run every job that is due and not claimed by another worker; (name, outcome) each."""
    outcomes = []
    for job in jobs:
        now_ = now or timezone.now()
        state, _ = JobState.objects.get_or_create(name=job.name)
        if not job.due(state, now_):
            continue
        claimed = JobState.objects.filter(
            pk=state.pk, last_started_at=state.last_started_at
        ).update(last_started_at=now_)
        if not claimed:
            continue  # another worker took it
        try:
            summary = job.run(state.last_success_at)
        except Exception as exc:
            log.exception("job %s failed", job.name)
            message = f"{type(exc).__name__}: {exc}"[:4000]
            JobState.objects.filter(pk=state.pk).update(
                last_finished_at=timezone.now(),
                last_error=message,
                runs=F("runs") + 1,
                failures=F("failures") + 1,
            )
            outcomes.append((job.name, f"failed: {message}"))
        else:
            JobState.objects.filter(pk=state.pk).update(
                last_finished_at=timezone.now(),
                last_success_at=now_,
                last_error="",
                last_summary=summary[:4000],
                runs=F("runs") + 1,
            )
            outcomes.append((job.name, summary))
    return outcomes
