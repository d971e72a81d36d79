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


def test_a_members_digest_carries_for_you_and_honours_their_signals(day_papers, member):
    from dailypapers.digests.render import render_digest
    from dailypapers.library import services
    from dailypapers.search import services as search_services

    search_services.index_if_needed()
    period = last_complete(cadence="daily", tz="UTC", now=NOW)
    speech, graph, protein, rl, mi = day_papers
    services.entry_set(user=member, paper_id=protein.pk, saved=True)
    services.entry_set(user=member, paper_id=speech.pk, dismissed=True)
    services.follow_set(user=member, kind="muted", value="graph", on=True)
    services.tastes_retrain()
    digest = compose(subscriber(member.email, user=member, top_n=1), period=period)
    # "Not interested" and a negative keyword leave the whole digest.
    assert [i.paper for i in digest.top] == [rl]
    # Saved already: not offered again; the rest ranked by the member's model.
    assert {i.paper for i in digest.for_you} == {mi}
    assert digest.for_you[0].reason == "for you"
    services.follow_set(user=member, kind="author", value="Ada Lovelace", on=True)
    followed = compose(subscriber("other@example.org", user=member, top_n=0), period=period)
    assert followed.for_you[0].reason == "You follow Ada Lovelace"
    message = render_digest(subscriber("third@example.org", user=member, top_n=1), digest)
    assert "FOR YOU" in message.body and "A study of mutual information estimation" in message.body
    # A subscriber without an account gets no For you section.
    assert compose(subscriber("anon@example.org", top_n=1), period=period).for_you == []
