"""Search's scheduled job: embed new and changed papers, publish the vector index."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from dailypapers.core.schedule import Job, every
from dailypapers.search.services import index_if_needed

# Papers embedded a round, the index published after each: search gains
# meaning a slice at a time instead of after the whole backlog.
JOB_SLICE = 4096


def index_round(last_success_at: dt.datetime | None) -> str:
    return index_if_needed(limit=JOB_SLICE).summary()


def jobs() -> list[Job]:
    if not settings.SEARCH_EMBEDDINGS:
        return []
    return [Job("search-index", index_round, every(dt.timedelta(minutes=1)))]
