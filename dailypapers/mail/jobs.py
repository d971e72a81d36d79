"""The outbox's scheduled job: send what waits (mail.services)."""

from __future__ import annotations

import datetime as dt

from dailypapers.core.schedule import Job, every
from dailypapers.mail.services import mail_deliver_due


def send_round(last_success_at: dt.datetime | None) -> str:
    sent, waiting = mail_deliver_due()
    return f"mail: {sent} sent, {waiting} waiting"


def jobs() -> list[Job]:
    return [Job("mail", send_round, every(dt.timedelta(minutes=1)))]
