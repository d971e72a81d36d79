"""Inserting many new papers at once.

``bulk_create`` compiles SQL for every row and, on SQLite, splits the rows
into statements of at most 999 parameters (34 papers each); a profile of the
snapshot import showed that compiling took over half of its time. Here the
INSERT is compiled once and run with ``executemany``, each value prepared for
the database by its model field exactly as the ORM would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, ExitStack
from functools import lru_cache

from django.db import connection, models

from dailypapers.papers.models import Paper

# Apps that keep data derived from papers (the search index) may do their
# work for a whole bulk insert at once instead of row by row: a hook wraps the
# INSERT and finds the new papers' primary keys set when it exits.
BulkInsertHook = Callable[[Sequence[Paper]], AbstractContextManager]
_bulk_insert_hooks: list[BulkInsertHook] = []


def register_bulk_insert_hook(hook: BulkInsertHook) -> None:
    if hook not in _bulk_insert_hooks:
        _bulk_insert_hooks.append(hook)


_FIELDS = [f for f in Paper._meta.concrete_fields if not f.primary_key]
_TABLE = Paper._meta.db_table


class NewPaper:
    """A paper to be inserted: the model's fields and defaults, nothing else.

    Constructing a Django model instance cost a snapshot import about 40 us a
    paper; the merge code only needs attributes, so new papers get these.
    """

    __slots__ = ("pk", *(f.attname for f in _FIELDS))

    def __init__(self, **values) -> None:
        self.pk = None
        for field in _FIELDS:
            setattr(
                self,
                field.attname,
                values.pop(field.attname, None) if field.attname in values else field.get_default(),
            )
        if values:
            raise TypeError(f"unknown paper fields: {sorted(values)}")


def _preparer(field: models.Field) -> Callable[[object], object] | None:
    if isinstance(field, models.DateTimeField):
        # Values here are aware datetimes already; skip the field's checks. A
        # batch repeats the same dates (a listing day), hence the cache.
        return lru_cache(maxsize=8192)(connection.ops.adapt_datetimefield_value)
    if isinstance(field, models.JSONField):
        # What JSONField.get_db_prep_save does for a list or dict, minus its checks.
        return lambda value: (
            None if value is None else connection.ops.adapt_json_value(value, field.encoder)
        )
    if isinstance(field, models.DateField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_papers(papers: Sequence[Paper | NewPaper]) -> None:
    """INSERT ``papers`` (not yet saved) and set their primary keys."""
    if not papers:
        return
    fields = _FIELDS
    prepare = [(f.attname, _preparer(f)) for f in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        _TABLE,
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        tuple(
            prep(getattr(paper, attname)) if prep else getattr(paper, attname)
            for attname, prep in prepare
        )
        for paper in papers
    ]
    with ExitStack() as hooks:
        for hook in _bulk_insert_hooks:
            hooks.enter_context(hook(papers))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {_TABLE}")
            after = cursor.fetchone()[0]
            cursor.executemany(sql, rows)
        _set_pks(papers, after=after)


def _set_pks(papers: Sequence[Paper | NewPaper], *, after: int) -> None:
    """Primary keys of papers just inserted, all of them greater than ``after``.

    Ids come from an ever-increasing sequence drawn after ``after`` was read,
    so one range scan finds them; rows of other writers in that range are
    told apart by their arXiv id or local key. (Filtering on thousands of
    ids through the ORM cost more to compile than to run.)
    """
    by_arxiv = {p.arxiv_id: p for p in papers if p.arxiv_id}
    by_local = {p.local_key: p for p in papers if not p.arxiv_id}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, arxiv_id, local_key FROM {_TABLE} WHERE id > %s ORDER BY id", [after]
        )
        for pk, arxiv_id, local_key in cursor.fetchall():
            paper = by_arxiv.get(arxiv_id) if arxiv_id else by_local.get(local_key)
            if paper is not None:
                paper.pk = pk
    for paper in papers:
        if isinstance(paper, Paper):
            paper._state.adding = False
            paper._state.db = connection.alias
