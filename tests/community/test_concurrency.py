"""50 members voting on one paper at once: the count equals the votes that exist."""

import random
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from dailypapers.community import services
from dailypapers.community.models import Vote
from dailypapers.papers.models import Paper
from tests.factories import FEATURED_AT, make_paper

USERS = 50
TOGGLES = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_vote_toggles_keep_the_count_exact():
    paper = make_paper("2510.05050", day=FEATURED_AT.date(), upvotes=7)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"voter{i}", email=f"v{i}@example.org") for i in range(USERS)
    )
    start = threading.Barrier(USERS)
    errors: list[BaseException] = []

    def voter(user, seed: int) -> None:
        rng = random.Random(seed)
        try:
            start.wait()
            for _ in range(TOGGLES):
                services.vote_set(user=user, paper_id=paper.pk, up=rng.random() < 0.6)
        except BaseException as exc:  # reported below, with the thread's traceback lost otherwise
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=voter, args=(u, i)) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    votes = Vote.objects.filter(paper=paper).count()
    assert 0 < votes < USERS  # the race really mixed ups and downs
    assert Paper.objects.get(pk=paper.pk).upvote_count == 7 + votes
