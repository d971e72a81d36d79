"""Dates and times as the sources write them, parsed strictly into UTC."""

from __future__ import annotations

import datetime as dt


def parse_datetime(raw: object) -> dt.datetime | None:
    """ISO 8601 ("2025-10-07T17:59:41.000Z"); None when absent or unparseable."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        value = dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def parse_date(raw: object) -> dt.date | None:
    if not isinstance(raw, str):
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None


def start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
