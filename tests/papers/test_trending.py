"""The trending formula (papers.trending) with frozen time, and its upkeep."""

import datetime as dt
import math

import pytest
import time_machine

from dailypapers.community import services
from dailypapers.papers.models import Paper
from dailypapers.papers.trending import trending_key, trending_score
from tests.factories import FEATURED_AT, make_paper

pytestmark = pytest.mark.django_db
NOW = FEATURED_AT + dt.timedelta(hours=6)


def test_score_halves_every_half_life(settings):
    settings.TRENDING_HALF_LIFE_HOURS = 36
    key = trending_key(upvotes=9, comments=0, featured_at=FEATURED_AT)
    at_feature = trending_score(key=key, now=FEATURED_AT)
    assert at_feature == pytest.approx(10.0)
    assert trending_score(key=key, now=FEATURED_AT + dt.timedelta(hours=36)) == pytest.approx(5.0)
    assert trending_score(key=key, now=FEATURED_AT + dt.timedelta(hours=72)) == pytest.approx(2.5)


def test_a_comment_counts_its_weight(settings):
    settings.TRENDING_COMMENT_WEIGHT = 2
    with_comment = trending_key(upvotes=0, comments=1, featured_at=FEATURED_AT)
    with_votes = trending_key(upvotes=2, comments=0, featured_at=FEATURED_AT)
    assert with_comment == pytest.approx(with_votes)


def test_half_the_engagement_one_half_life_later_ties(settings):
    settings.TRENDING_HALF_LIFE_HOURS = 24
    old = trending_key(upvotes=19, comments=0, featured_at=FEATURED_AT)
    new = trending_key(upvotes=9, comments=0, featured_at=FEATURED_AT + dt.timedelta(hours=24))
    assert old == pytest.approx(new)


@time_machine.travel(NOW, tick=False)
def test_key_order_is_score_order_at_any_time():
    papers = [
        (upvotes, FEATURED_AT - dt.timedelta(hours=hours))
        for upvotes, hours in [(100, 100), (3, 1), (40, 30), (0, 0), (12, 10)]
    ]
    keys = [trending_key(upvotes=u, comments=0, featured_at=at) for u, at in papers]
    for later in (NOW, NOW + dt.timedelta(days=30)):
        scores = [trending_score(key=k, now=later) for k in keys]
        assert sorted(range(5), key=lambda i: -keys[i]) == sorted(
            range(5), key=lambda i: -scores[i]
        )
    # Explicitly: 100 votes 100 hours ago lose to 40 votes 30 hours ago.
    assert keys[2] > keys[0]


def test_imported_papers_get_keys_and_unfeatured_ones_none():
    featured = make_paper("2510.00001", day=FEATURED_AT.date(), upvotes=7)
    plain = make_paper("2510.00002", upvotes=7)
    assert featured.trending_key == pytest.approx(
        math.log2(8) + FEATURED_AT.timestamp() / (36 * 3600)
    )
    assert plain.trending_key is None


def test_votes_and_comments_move_the_key(member, other):
    paper = make_paper("2510.00003", day=FEATURED_AT.date())
    before = paper.trending_key
    services.vote_set(user=member, paper_id=paper.pk, up=True)
    after_vote = Paper.objects.get(pk=paper.pk).trending_key
    assert after_vote == pytest.approx(before + 1.0)  # 1 -> 2 engagement: one doubling
    services.comment_create(author=other, paper_id=paper.pk, body="Nice")
    after_comment = Paper.objects.get(pk=paper.pk).trending_key
    assert after_comment == pytest.approx(before + math.log2(4))


def test_refresh_command_after_a_settings_change(settings):
    from django.core.management import call_command

    paper = make_paper("2510.00030", day=FEATURED_AT.date(), upvotes=1)
    settings.TRENDING_HALF_LIFE_HOURS = 12
    call_command("trending")
    assert Paper.objects.get(pk=paper.pk).trending_key == pytest.approx(
        1.0 + FEATURED_AT.timestamp() / (12 * 3600)
    )
