"""The SQL of the search filters, shared by the backends (portable SQL only)."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from dailypapers.core import categories
from dailypapers.search.query import Filters


def filter_sql(filters: Filters, *, alias: str = "p") -> tuple[str, list]:
    """`` AND ...`` clauses over papers_paper aliased ``alias``, and their parameters."""
    clauses: list[str] = []
    params: list = []
    adapt = connection.ops.adapt_datetimefield_value
    if filters.date_from:
        clauses.append(f"{alias}.published_at >= %s")
        params.append(adapt(dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=dt.UTC)))
    if filters.date_to:
        clauses.append(f"{alias}.published_at < %s")
        end = filters.date_to + dt.timedelta(days=1)
        params.append(adapt(dt.datetime.combine(end, dt.time.min, tzinfo=dt.UTC)))
    if filters.categories:
        found = [f"%{n}%" for category in filters.categories for n in categories.needles(category)]
        padded = f"(' ' || {alias}.categories || ' ')"
        clauses.append("(" + " OR ".join([f"{padded} LIKE %s"] * len(found)) + ")")
        params += found
    if filters.has_code:
        clauses.append(f"{alias}.code_url <> ''")
    return "".join(f" AND {clause}" for clause in clauses), params


def allowed_ids(ids: list[int], filters: Filters) -> set[int]:
    """The ``ids`` of papers that pass ``filters``."""
    if not ids:
        return set()
    where, params = filter_sql(filters)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id FROM papers_paper p WHERE p.id IN ({marks}){where}", [*ids, *params]
        )
        return {row[0] for row in cursor.fetchall()}


# Listings without a relevance: an author's papers, filters alone.
_NEWEST_FIRST = "ORDER BY p.published_at DESC NULLS LAST, p.id DESC LIMIT %s"


def newest_passing(filters: Filters, *, limit: int) -> list[int]:
    """The newest papers that pass ``filters``."""
    where, params = filter_sql(filters)
    sql = f"SELECT p.id FROM papers_paper p WHERE 1 = 1{where} {_NEWEST_FIRST}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [row[0] for row in cursor.fetchall()]


# A query that may be a name ("Yann LeCun") is looked up among author names
# only when one of its words is in at most this many papers: a surname is
# rare, while reading a topic's common words would cost a search's budget.
NAME_WORD_PAPERS = 2000


def authored(
    engine, *, words: tuple[str, ...], filters: Filters, limit: int, rare_only: bool = False
) -> list[int]:
    """Papers whose author names hold every one of ``words`` (case folded),
    newest first, through ``engine``'s own index of names (a LexicalBackend).
    The words may be spread over several authors: callers check names with
    query.names_match. ``rare_only``: none unless one word is in at most
    NAME_WORD_PAPERS papers, so that a topic of common words costs nothing."""
    if not words:
        return []
    if rare_only and not any(n <= NAME_WORD_PAPERS for n in engine.word_papers(words)):
        return []
    source, match, param = engine.author_match(words)
    where, params = filter_sql(filters)
    sql = f"SELECT p.id FROM {source} WHERE {match}{where} {_NEWEST_FIRST}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [param, *params, limit])
        return [row[0] for row in cursor.fetchall()]
