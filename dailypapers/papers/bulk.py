"""Inserting many new papers at once.

``bulk_create`` compiles SQL for every row and, on SQLite, splits the rows
into statements of at most 999 parameters (34 papers each); a profile of the
snapshot import showed that compiling took over half of its time. Here the
INSERT is compiled once and run with ``executemany``, each value prepared for
the database by its model field exactly as the ORM would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connection, models

from dailypapers.papers.models import Paper


def _preparer(field: models.Field) -> Callable[[object], object] | None:
    if isinstance(field, models.DateTimeField):
        # Values here are aware datetimes already; skip the field's checks.
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, (models.JSONField, models.DateField)):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_papers(papers: Sequence[Paper]) -> None:
    """INSERT ``papers`` (not yet saved) and set their primary keys."""
    if not papers:
        return
    fields = [f for f in Paper._meta.concrete_fields if not f.primary_key]
    prepare = [(f.attname, _preparer(f)) for f in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Paper._meta.db_table),
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
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    _set_pks(papers)


def _set_pks(papers: Sequence[Paper]) -> None:
    by_arxiv = {p.arxiv_id: p for p in papers if p.arxiv_id}
    by_local = {p.local_key: p for p in papers if not p.arxiv_id}
    if by_arxiv:
        for arxiv_id, pk in Paper.objects.filter(arxiv_id__in=list(by_arxiv)).values_list(
            "arxiv_id", "pk"
        ):
            by_arxiv[arxiv_id].pk = pk
    if by_local:
        for key, pk in Paper.objects.filter(local_key__in=list(by_local)).values_list(
            "local_key", "pk"
        ):
            by_local[key].pk = pk
    for paper in papers:
        paper._state.adding = False
        paper._state.db = connection.alias
