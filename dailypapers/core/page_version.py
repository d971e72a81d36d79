"""The version of what public pages show, kept in the shared page cache.

Every change a reader could see on a page cached for visitors (a vote, a
comment, a pin, a new featuring, a paper's metadata, a search index that
grew) calls ``changed()``, which gives the pages a new version; a cached page
is served only while the version it was rendered under is the current one
(pages/page_cache.py). One version for the whole site, not one per paper: a
vote shows on the paper's page, its day, week, month, trending and every
search that lists it, and keeping track of all of those costs more than
rendering again the few pages readers ask for after a change
(docs/decisions.md).

The version is a fresh random token, never a counter: two writers that bump
at once can then not bring back an older version (an increment read and
written by both would), under which a page rendered before one of their
changes may still be stored.
"""

from __future__ import annotations

import logging
import secrets

from django.core.cache import caches
from django.db import transaction

log = logging.getLogger(__name__)
CACHE = "pages"
KEY = "pages:version"


def cache():
    return caches[CACHE]


def changed() -> None:
    """What public pages show has changed (or is about to, in the open
    transaction): every cached page is out of date from the next request.

    Bumped at once and again once the transaction commits. The first matters
    to the database cache, whose row commits with the change itself; the
    second to a cache outside the database (Redis), where a reader between
    the first bump and the commit may have stored a page of the state before.
    """
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    """A failing cache (Redis unreachable, no cache table in a scratch
    database) must not fail the change it announces: the vote counts, and
    cached pages expire after PAGE_CACHE_SECONDS at worst."""
    try:
        # A savepoint: on PostgreSQL a failed statement would otherwise spoil
        # the transaction of the change itself.
        with transaction.atomic():
            cache().set(KEY, secrets.token_hex(8), timeout=None)
    except Exception as exc:
        log.warning("the page cache did not take the new version: %s", exc)
