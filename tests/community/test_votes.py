"""Upvotes: one per member per paper, and exact counts."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from dailypapers.community import services
from dailypapers.community.models import Vote
from dailypapers.papers.models import Paper
from tests.factories import FEATURED_AT, make_paper

pytestmark = pytest.mark.django_db


def test_one_vote_per_user_and_paper_is_a_database_constraint(paper, member):
    Vote.objects.create(user=member, paper=paper)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=member, paper=paper)


def test_voting_twice_counts_once_and_withdrawing_restores(paper, member, other):
    start = paper.upvote_count
    assert services.vote_set(user=member, paper_id=paper.pk, up=True).count == start + 1
    assert services.vote_set(user=member, paper_id=paper.pk, up=True).count == start + 1
    assert services.vote_set(user=other, paper_id=paper.pk, up=True).count == start + 2
    state = services.vote_set(user=member, paper_id=paper.pk, up=False)
    assert (state.voted, state.count) == (False, start + 1)
    assert Paper.objects.get(pk=paper.pk).upvote_count == start + 1


def test_imported_upvotes_and_local_votes_add_up(member):
    paper = make_paper("2510.00100", day=FEATURED_AT.date(), upvotes=41)
    assert services.vote_set(user=member, paper_id=paper.pk, up=True).count == 42
    # A re-import with a newer Daily Papers count keeps the local vote.
    later = FEATURED_AT + dt.timedelta(days=2)
    paper = make_paper("2510.00100", day=FEATURED_AT.date(), upvotes=50, observed_at=later)
    assert paper.upvote_count == 51
