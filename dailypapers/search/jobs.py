"""Search's scheduled jobs: embed new and changed papers and publish the
vector index; bring the keyword index up to date; count the papers' words
for spelling suggestions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from dailypapers.core.schedule import Job, every
from dailypapers.search.services import index_if_needed, keyword_index_refresh
from dailypapers.search.vocabulary import vocabulary_refresh

# Papers embedded a round, the index published after each: search gains
# meaning a slice at a time instead of after the whole backlog.
JOB_SLICE = 4096


def index_round(last_success_at: dt.datetime | None) -> str:
    return index_if_needed(limit=JOB_SLICE).summary()


def keyword_round(last_success_at: dt.datetime | None) -> str:
    return keyword_index_refresh()


def words_round(last_success_at: dt.datetime | None) -> str:
    # Papers are changed while a round counts: those changed in the hour
    # before its success are looked for again.
    since = last_success_at - dt.timedelta(hours=1) if last_success_at else None
    return vocabulary_refresh(since=since)


def jobs() -> list[Job]:
    found = [Job("search-words", words_round, every(dt.timedelta(hours=1)))]
    if settings.SEARCH_EMBEDDINGS:
        found.append(Job("search-index", index_round, every(dt.timedelta(minutes=1))))
    if settings.SEARCH_KEYWORD_INDEX:
        found.append(Job("keyword-index", keyword_round, every(dt.timedelta(minutes=1))))
    return found
