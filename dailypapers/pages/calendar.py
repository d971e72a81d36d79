"""The month grid shown beside a month's feed."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from dailypapers.papers.periods import Period


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date | None  # None pads the first and last week
    count: int = 0


def month_grid(period: Period, counts: dict[dt.date, int]) -> list[list[CalendarDay]]:
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(
        period.start.year, period.start.month
    )
    return [
        [
            CalendarDay(day, counts.get(day, 0))
            if day.month == period.start.month
            else CalendarDay(None)
            for day in week
        ]
        for week in weeks
    ]
