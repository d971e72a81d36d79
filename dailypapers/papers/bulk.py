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
from functools import cache, lru_cache

import orjson
from django.db import connection, models

from dailypapers.papers.merge import COUNT_FIELDS, apply_record
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

    Constructing a Django model instance was a large part of a snapshot
    import's time; the merge code only needs attributes, so new papers get these.
    """

    __slots__ = ("pk", *(f.attname for f in _FIELDS))

    def __init__(self, **values) -> None:
        self.pk = None
        for attname, default, fresh in _DEFAULTS:
            if attname in values:
                setattr(self, attname, values.pop(attname))
            else:
                setattr(self, attname, default() if fresh else default)
        if values:
            raise TypeError(f"unknown paper fields: {sorted(values)}")


def _default(field: models.Field) -> tuple[str, object, bool]:
    """(attname, default, whether it must be called for a fresh value)."""
    if field.has_default() and callable(field.default):
        return field.attname, field.default, True
    return field.attname, field.get_default(), False


# Asking every field for its default showed in an import's profile:
# constants are read once and only callables (list, dict) run per paper.
_DEFAULTS = [_default(f) for f in _FIELDS]


def _preparer(field: models.Field) -> Callable[[object], object] | None:
    # The operations object is bound once: going through the connection
    # proxy for every value cost more than the adaptation itself.
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        # Values here are aware datetimes already; skip the field's checks. A
        # batch repeats the same dates (a listing day), hence the cache.
        return lru_cache(maxsize=8192)(ops.adapt_datetimefield_value)
    if isinstance(field, models.JSONField):
        # What JSONField.get_db_prep_save does for a list or dict, minus its
        # checks. Without an encoder the JSON text is made by orjson (a third
        # of json.dumps's time); both databases take text for the column.
        encoder = field.encoder
        if encoder is None:
            return lambda value: None if value is None else orjson.dumps(value).decode()
        return lambda value: None if value is None else ops.adapt_json_value(value, encoder)
    if isinstance(field, models.DateField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _row_maker() -> Callable[[object], tuple]:
    """A function from a paper to its INSERT row, each value prepared as the ORM would."""
    prepare = [(f.attname, _preparer(f)) for f in _FIELDS]
    return lambda paper: tuple(
        prep(getattr(paper, attname)) if prep else getattr(paper, attname)
        for attname, prep in prepare
    )


_INSERT_TIMES = [i for i, f in enumerate(_FIELDS) if f.attname in ("created_at", "modified_at")]
_COLUMN = {f.attname: i for i, f in enumerate(_FIELDS)}


def _column(name: str) -> property:
    index = _COLUMN[name]
    return property(lambda self: self.row[index], doc=f"``{name}`` of the prepared row")


class Draft:
    """One source record, and the new paper it would make with its INSERT row ready.

    The snapshot import makes these in its reading process so that the
    process that writes does little more than write: merging and preparing
    rows, and unpickling whole records, had been most of the writer's time;
    a row of plain values crosses processes far faster (docs/decisions.md).
    The record itself is kept as its source text and parsed again, by
    ``parse``, only when the paper turns out to be stored already.

    ``papers_upsert`` takes drafts wherever it takes records.
    """

    __slots__ = ("pk", "row", "touches_counts", "source", "parse", "created_at", "modified_at")

    def __init__(self, row: tuple, touches_counts: bool, source: object, parse) -> None:
        self.pk = None
        self.row = row
        self.touches_counts = touches_counts
        # ``parse(source)`` gives the record again: a module-level function,
        # so that a draft crosses processes by reference.
        self.source = source
        self.parse = parse
        self.created_at = self.modified_at = None

    def __reduce__(self):
        return Draft, (self.row, self.touches_counts, self.source, self.parse)

    arxiv_id = _column("arxiv_id")
    local_key = _column("local_key")
    title_key = _column("title_key")
    title = _column("title")
    abstract = _column("abstract")
    identity = arxiv_id

    @property
    def authors(self) -> list[dict[str, str]]:
        return orjson.loads(self.row[_COLUMN["authors"]])

    def record(self):
        return self.parse(self.source)

    def final_row(self, prepare_time: Callable[[object], object]) -> tuple:
        row = list(self.row)
        for index in _INSERT_TIMES:
            row[index] = prepare_time(getattr(self, _FIELDS[index].attname))
        return tuple(row)


# Drafts are made by the thousand in one process for one database: one
# row maker (and its cache of prepared dates) serves them all.
_draft_row = cache(_row_maker)


def draft_for(record, *, source: object, parse) -> Draft:
    """The draft of ``record`` (a PaperRecord with an arXiv id), which ``parse(source)`` gives."""
    if not record.arxiv_id:
        raise ValueError("only records with an arXiv id have drafts")
    paper = NewPaper(created_at=None, modified_at=None)
    changed = apply_record(paper, record)
    return Draft(_draft_row()(paper), bool(changed & COUNT_FIELDS), source, parse)


def insert_papers(papers: Sequence[Paper | NewPaper | Draft]) -> None:
    """INSERT ``papers`` (not yet saved) and set their primary keys."""
    if not papers:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        _TABLE,
        ", ".join(quote(f.column) for f in _FIELDS),
        ", ".join(["%s"] * len(_FIELDS)),
    )
    make_row = _row_maker()
    prepare_time = _preparer(_FIELDS[_INSERT_TIMES[0]])
    rows = [
        paper.final_row(prepare_time) if isinstance(paper, Draft) else make_row(paper)
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


def _set_pks(papers: Sequence[Paper | NewPaper | Draft], *, after: int) -> None:
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
