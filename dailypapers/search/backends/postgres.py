"""PostgreSQL: a weighted tsvector (title A, title and abstract B, authors C), GIN-indexed.

The tsvector is a stored generated column of papers_paper, so it can never
disagree with the row it describes; the ORM does not know the column.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from dailypapers.search.backends.filters import filter_sql
from dailypapers.search.query import Filters

_DDL = [
    """ALTER TABLE papers_paper ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(title, '') || ' ' || coalesce(abstract, '')), 'B') ||
        setweight(to_tsvector('simple', coalesce(jsonb_path_query_array(authors, '$[*].name')::text, '')), 'C')
    ) STORED""",
    "CREATE INDEX search_tsv_gin ON papers_paper USING GIN (search_tsv)",
]
_DROP = [
    "DROP INDEX IF EXISTS search_tsv_gin",
    "ALTER TABLE papers_paper DROP COLUMN IF EXISTS search_tsv",
]


def rank_weights() -> str:
    """ts_rank's {D, C, B, A} from SEARCH_FIELD_WEIGHTS (title A, text B, authors C)."""
    title, abstract, authors = settings.SEARCH_FIELD_WEIGHTS
    top = max(title, abstract, authors) or 1.0
    return "{" + ", ".join(f"{w / top:.3f}" for w in (0.0, authors, abstract, title)) + "}"


class PostgresTsvector:
    vendor = "postgresql"

    def install(self, schema_editor) -> None:
        for statement in _DDL:
            schema_editor.execute(statement)

    def uninstall(self, schema_editor) -> None:
        for statement in _DROP:
            schema_editor.execute(statement)

    def rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("REINDEX INDEX search_tsv_gin")

    def search(self, *, terms: list[str], filters: Filters, limit: int) -> list[tuple[int, float]]:
        if not terms:
            return []
        where, params = filter_sql(filters)
        # websearch_to_tsquery never fails on user input; "or" between the
        # plain word tokens gives BM25-like any-term matching.
        sql = (
            f"SELECT p.id, ts_rank('{rank_weights()}', p.search_tsv, q, 1) AS score "
            "FROM papers_paper p, websearch_to_tsquery('english', %s) q "
            f"WHERE p.search_tsv @@ q{where} ORDER BY score DESC, p.id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [" or ".join(terms), *params, limit])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]
