"""What goes into a digest: the top papers, filter matches, saved searches, and why one is empty."""

import datetime as dt

import pytest

from dailypapers.digests.compose import compose
from dailypapers.digests.periods import last_complete
from tests.digests.conftest import NOW, subscriber

pytestmark = pytest.mark.django_db


def test_top_n_excludes_and_filters(day_papers, settings):
    period = last_complete(cadence="daily", tz="UTC", now=NOW)
    plain = compose(subscriber("a@example.org", top_n=2), period=period)
    assert [i.paper.title for i in plain.top] == [
        "A study of speech recognition",
        "A study of graph networks",
    ]
    assert plain.matches == []
    picky = compose(subscriber("b@example.org", top_n=2, exclude_keywords="speech, graph",
                               include_keywords="mutual information", categories="stat"), period=period)  # fmt: skip
    assert [i.paper.title for i in picky.top] == [
        "A study of protein folding",
        "A study of reinforcement learning",
    ]
    assert [(i.paper.title, i.reason) for i in picky.matches] == [
        ("A study of mutual information estimation", "mentions “mutual information”")
    ]
    only_filters = compose(subscriber("c@example.org", top_n=0, categories="cs.LG"), period=period)
    assert [i.reason for i in only_filters.matches] == ["in cs.LG", "in cs.LG"]


def test_empty_digests_say_why(day_papers):
    nothing = last_complete(cadence="daily", tz="UTC", now=NOW + dt.timedelta(days=5))
    digest = compose(subscriber("a@example.org"), period=nothing)
    assert digest.is_empty and "No papers were featured" in digest.empty_reason
    period = last_complete(cadence="daily", tz="UTC", now=NOW)
    excluded = compose(subscriber("b@example.org", exclude_keywords="study"), period=period)
    assert excluded.is_empty and "excluded keywords removed all" in excluded.empty_reason


def test_saved_searches_find_new_papers_of_the_period(day_papers):
    period = last_complete(cadence="daily", tz="UTC", now=NOW)
    digest = compose(
        subscriber("s@example.org", top_n=0, saved_searches=["protein folding"]), period=period
    )
    assert digest.matches and digest.matches[0].paper.title == "A study of protein folding"
    assert digest.matches[0].reason == "matches your search “protein folding”"
