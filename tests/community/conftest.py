from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from dailypapers.papers.records import ListingRecord, PaperRecord
from dailypapers.papers.services import papers_upsert

FEATURED_AT = dt.datetime(2025, 10, 8, 12, tzinfo=dt.UTC)


def make_paper(arxiv_id: str, *, title: str = "", day=None, upvotes=0, submitted_at=None, **extra):
    record = PaperRecord(
        arxiv_id=arxiv_id,
        title=title or f"Paper {arxiv_id}",
        abstract=extra.pop("abstract", "An abstract about attention and transformers."),
        authors=[{"name": "Ada Lovelace"}],
        upvotes=upvotes,
        source="daily_papers",
        observed_at=extra.pop("observed_at", dt.datetime(2025, 10, 9, tzinfo=dt.UTC)),
        published_at=extra.pop("published_at", FEATURED_AT),
        **extra,
    )
    listings = []
    if day is not None:
        listings = [
            ListingRecord(
                identity=record.identity,
                day=day,
                source="daily_papers",
                submitter_name="ak",
                submitted_at=submitted_at or FEATURED_AT,
            )
        ]
    result = papers_upsert(records=[record], listings=listings)
    from dailypapers.papers.models import Paper

    return Paper.objects.get(pk=result.paper_ids[record.identity])


@pytest.fixture
def paper(db):
    return make_paper("2510.06217", title="Attention is all you need again", day=FEATURED_AT.date())


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user("ada", "ada@example.org", "correct horse 42")


@pytest.fixture
def other(django_user_model):
    return django_user_model.objects.create_user("bob", "bob@example.org", "correct horse 43")


@pytest.fixture
def curator(django_user_model):
    user = django_user_model.objects.create_user("cura", "cura@example.org", "correct horse 44")
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("mod", "mod@example.org", "correct horse 45")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user
