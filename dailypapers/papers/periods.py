"""The spans of time a feed page shows: a day, an ISO week or a month."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from dailypapers.core.errors import Invalid

DAY, WEEK, MONTH = "day", "week", "month"
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InvalidPeriod(Invalid, ValueError):
    """Not a day, week or month; pages answer 404, the API 400."""


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def slug(self) -> str:
        if self.kind == DAY:
            return self.start.isoformat()
        if self.kind == WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def path(self) -> str:
        segment = {DAY: "date", WEEK: "week", MONTH: "month"}[self.kind]
        return f"/papers/{segment}/{self.slug}"

    @property
    def label(self) -> str:
        if self.kind == DAY:
            return self.start.strftime("%A, %B %-d, %Y")
        if self.kind == WEEK:
            year, week, _ = self.start.isocalendar()
            return f"Week {week}, {year} ({self.start:%b %-d} – {self.end:%b %-d})"
        return self.start.strftime("%B %Y")

    def containing(self, day: dt.date) -> Period:
        """The period of the same kind that contains ``day``."""
        return period_containing(self.kind, day)

    def as_kind(self, kind: str) -> Period:
        return period_containing(kind, self.start)


def period_containing(kind: str, day: dt.date) -> Period:
    if kind == DAY:
        return Period(DAY, day, day)
    if kind == WEEK:
        start = day - dt.timedelta(days=day.weekday())
        return Period(WEEK, start, start + dt.timedelta(days=6))
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(MONTH, day.replace(day=1), day.replace(day=last))


def parse_day(raw: str) -> Period:
    if not _DAY_RE.match(raw):
        raise InvalidPeriod(f"“{raw}” is not a date: use YYYY-MM-DD")
    try:
        return period_containing(DAY, dt.date.fromisoformat(raw))
    except ValueError:
        raise InvalidPeriod(f"“{raw}” is not a date on the calendar") from None


def parse_week(raw: str) -> Period:
    match = _WEEK_RE.match(raw)
    if not match:
        raise InvalidPeriod(f"“{raw}” is not a week: use YYYY-Www, like 2025-W41")
    try:
        start = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise InvalidPeriod(f"“{raw}” is not a week of that year") from None
    return period_containing(WEEK, start)


def parse_month(raw: str) -> Period:
    match = _MONTH_RE.match(raw)
    if not match:
        raise InvalidPeriod(f"“{raw}” is not a month: use YYYY-MM, like 2025-10")
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and dt.MINYEAR <= year <= dt.MAXYEAR):
        raise InvalidPeriod(f"“{raw}” is not a month on the calendar")
    return period_containing(MONTH, dt.date(year, month, 1))
