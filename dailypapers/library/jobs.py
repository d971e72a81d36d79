"""The library's scheduled job: retrain the "For you" models whose signals changed."""

from __future__ import annotations

import datetime as dt

from dailypapers.core.schedule import Job, every
from dailypapers.library.services import tastes_retrain
from dailypapers.library.transfer import pending_imports_fetch


def for_you_round(last_success_at: dt.datetime | None) -> str:
    return f"for you: {tastes_retrain()} models retrained"


def imports_round(last_success_at: dt.datetime | None) -> str:
    saved, waiting = pending_imports_fetch()
    return f"imports: {saved} papers fetched and saved, {waiting} waiting for arXiv"


def jobs() -> list[Job]:
    return [
        Job("for-you", for_you_round, every(dt.timedelta(minutes=1))),
        Job("library-imports", imports_round, every(dt.timedelta(minutes=5))),
    ]
