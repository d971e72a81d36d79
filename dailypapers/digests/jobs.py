"""The digests' scheduled job: send what is due (digests.delivery)."""

from __future__ import annotations

import datetime as dt

from dailypapers.core.schedule import Job, every
from dailypapers.digests.delivery import send_due


def send_round(last_success_at: dt.datetime | None) -> str:
    return send_due().summary()


def jobs() -> list[Job]:
    return [Job("digests", send_round, every(dt.timedelta(minutes=1)))]
