"""Scheduled jobs as each app declares them in its ``jobs.py``; the worker
(server.scheduler) runs the ones that are due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

# A failed daily job is tried again after this long.
RETRY_AFTER = dt.timedelta(minutes=15)


class RunState(Protocol):
    """When a job last started and last succeeded (server.models.JobState)."""

    last_started_at: dt.datetime | None
    last_success_at: dt.datetime | None


@dataclass(frozen=True)
class Job:
    name: str
    # Given the time of the last success, returns a one-line summary; raises on failure.
    run: Callable[[dt.datetime | None], str]
    due: Callable[[RunState, dt.datetime], bool]


def daily_at(hhmm: str) -> Callable[[RunState, dt.datetime], bool]:
    """Due once a day from ``hhmm`` UTC, and again after a failure once RETRY_AFTER has passed."""
    hour, minute = (int(part) for part in hhmm.split(":"))

    def due(state: RunState, now: dt.datetime) -> bool:
        slot = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if slot > now:
            slot -= dt.timedelta(days=1)
        if state.last_success_at and state.last_success_at >= slot:
            return False
        started = state.last_started_at
        return started is None or started < slot or started <= now - RETRY_AFTER

    return due


def every(interval: dt.timedelta) -> Callable[[RunState, dt.datetime], bool]:
    def due(state: RunState, now: dt.datetime) -> bool:
        started = state.last_started_at
        return started is None or started <= now - interval

    return due


def once(state: RunState, now: dt.datetime) -> bool:
    """Due until it has succeeded once; after a failure, again once RETRY_AFTER has passed."""
    started = state.last_started_at
    return state.last_success_at is None and (started is None or started <= now - RETRY_AFTER)
