"""The library's scheduled job: retrain the "For you" models whose signals changed."""

from __future__ import annotations

import datetime as dt

from dailypapers.core.schedule import Job, every
from dailypapers.library.services import tastes_retrain


def for_you_round(last_success_at: dt.datetime | None) -> str:
    return f"for you: {tastes_retrain()} models retrained"


def jobs() -> list[Job]:
    return [Job("for-you", for_you_round, every(dt.timedelta(minutes=1)))]
