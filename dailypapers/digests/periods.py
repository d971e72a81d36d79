"""The period a digest covers: the subscriber's last complete local day or ISO week."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def valid_timezone(name: str) -> bool:
    return name in _zones()


@cache
def _zones() -> set[str]:
    return available_timezones() | {"UTC"}


@dataclass(frozen=True)
class DigestPeriod:
    cadence: str
    start: dt.date
    end: dt.date  # inclusive
    tz: str

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=zone(self.tz))

    @property
    def ends_at(self) -> dt.datetime:
        """Exclusive: local midnight after the last day."""
        return dt.datetime.combine(
            self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone(self.tz)
        )

    @property
    def label(self) -> str:
        if self.cadence == "weekly":
            year, week, _ = self.start.isocalendar()
            return f"week {week} of {year} ({self.start:%b %-d} – {self.end:%b %-d})"
        return f"{self.start:%A, %B %-d, %Y}"


def last_complete(*, cadence: str, tz: str, now: dt.datetime) -> DigestPeriod:
    today = now.astimezone(zone(tz)).date()
    if cadence == "weekly":
        monday = today - dt.timedelta(days=today.weekday())
        return DigestPeriod(
            cadence, monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), tz
        )
    yesterday = today - dt.timedelta(days=1)
    return DigestPeriod(cadence, yesterday, yesterday, tz)


def is_due(period: DigestPeriod, *, now: dt.datetime) -> bool:
    """Sent from DIGEST_SEND_HOUR local time on the day after the period."""
    send_at = period.ends_at + dt.timedelta(hours=settings.DIGEST_SEND_HOUR)
    return now >= send_at
