import datetime as dt

import pytest

from dailypapers.papers import periods


def test_day():
    p = periods.parse_day("2025-10-08")
    assert (p.start, p.end, p.path) == (
        dt.date(2025, 10, 8),
        dt.date(2025, 10, 8),
        "/papers/date/2025-10-08",
    )
    assert p.label == "Wednesday, October 8, 2025"


def test_week_is_iso_monday_to_sunday():
    p = periods.parse_week("2025-W41")
    assert (p.start, p.end) == (dt.date(2025, 10, 6), dt.date(2025, 10, 12))
    assert p.path == "/papers/week/2025-W41"
    assert periods.period_containing(periods.WEEK, dt.date(2025, 1, 1)).slug == "2025-W01"
    assert periods.period_containing(periods.WEEK, dt.date(2024, 12, 30)).slug == "2025-W01"


def test_month():
    p = periods.parse_month("2024-02")
    assert (p.start, p.end, p.label) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29), "February 2024")


@pytest.mark.parametrize(
    ("parse", "raw"),
    [
        (periods.parse_day, "2025-13-45"),
        (periods.parse_day, "2025-02-30"),
        (periods.parse_day, "0000-01-01"),
        (periods.parse_day, "20251008"),
        (periods.parse_day, "2025-10-08' OR 1=1"),
        (periods.parse_week, "2025-W54"),
        (periods.parse_week, "2025-W00"),
        (periods.parse_week, "2025-41"),
        (periods.parse_month, "2025-13"),
        (periods.parse_month, "2025-00"),
        (periods.parse_month, "0000-01"),
    ],
)
def test_invalid_periods_raise_a_readable_error(parse, raw):
    with pytest.raises(periods.InvalidPeriod, match=r"not a"):
        parse(raw)


def test_conversions():
    day = periods.parse_day("2025-10-08")
    assert day.as_kind(periods.WEEK).slug == "2025-W41"
    assert day.as_kind(periods.MONTH).slug == "2025-10"
    assert day.containing(dt.date(2025, 10, 9)).slug == "2025-10-09"
