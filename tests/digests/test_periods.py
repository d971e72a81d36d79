"""The period a digest covers, in the subscriber's time zone, and when it is due."""

import datetime as dt

import pytest

from dailypapers.digests.periods import is_due, last_complete
from tests.digests.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "tz,expected",
    [("UTC", dt.date(2025, 10, 8)), ("Pacific/Auckland", dt.date(2025, 10, 8)),
     ("America/Los_Angeles", dt.date(2025, 10, 7))],
)  # fmt: skip
def test_a_daily_digest_covers_the_subscribers_last_local_day(tz, expected):
    now = dt.datetime(2025, 10, 9, 3, tzinfo=dt.UTC)  # Oct 8 20:00 in Los Angeles
    period = last_complete(cadence="daily", tz=tz, now=now)
    assert period.start == period.end == expected


def test_weekly_is_the_last_iso_week_and_due_after_the_send_hour(settings):
    settings.DIGEST_SEND_HOUR = 7
    period = last_complete(cadence="weekly", tz="UTC", now=NOW)
    assert (period.start, period.end) == (dt.date(2025, 9, 29), dt.date(2025, 10, 5))
    daily = last_complete(cadence="daily", tz="UTC", now=NOW)
    assert is_due(daily, now=NOW) and not is_due(daily, now=NOW.replace(hour=6))
