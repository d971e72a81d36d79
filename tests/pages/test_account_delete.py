"""Deleting an account deletes all of it, recounts what it counted, and
keeps other members' replies."""

import pytest

from dailypapers.api import tokens
from dailypapers.community import services as community
from dailypapers.community.models import Comment, Vote
from dailypapers.digests.models import Subscription
from dailypapers.library import services
from dailypapers.library.models import Entry, Follow, Taste
from dailypapers.papers.models import Paper

pytestmark = pytest.mark.django_db


def test_deleting_an_account_takes_all_of_it_and_recounts(client, member, other, paper):
    community.vote_set(user=member, paper_id=paper.pk, up=True)
    community.vote_set(user=other, paper_id=paper.pk, up=True)
    answered = community.comment_create(author=member, paper_id=paper.pk, body="A question.")
    community.comment_create(
        author=other, paper_id=paper.pk, body="An answer.", parent_id=answered.pk
    )
    community.comment_create(author=member, paper_id=paper.pk, body="Alone.")
    services.entry_set(user=member, paper_id=paper.pk, saved=True, note="mine")
    services.follow_set(user=member, kind="author", value="Ada Lovelace", on=True)
    tokens.token_create(user=member, name="t", scopes=["vote"])
    Subscription.objects.create(email=member.email, user=member, status="active")
    before = Paper.objects.get(pk=paper.pk)
    client.force_login(member)
    assert client.get("/settings/delete-account").status_code == 200
    wrong = client.post("/settings/delete-account", {"username": "someone"})
    assert wrong.status_code == 400 and type(member).objects.filter(pk=member.pk).exists()
    response = client.post("/settings/delete-account", {"username": "ada"})
    assert response.status_code == 302
    assert not type(member).objects.filter(username="ada").exists()
    after = Paper.objects.get(pk=paper.pk)
    assert after.upvote_count == before.upvote_count - 1
    assert after.comment_count == before.comment_count - 2  # its two comments; the answer stays
    assert Comment.objects.get(body="An answer.").parent.body == ""  # the place stays, emptied
    assert not Entry.objects.exists() and not Follow.objects.exists() and not Taste.objects.exists()
    assert not Subscription.objects.exists() and Vote.objects.filter(user=other).exists()
    assert client.get("/library").status_code == 302  # signed out
