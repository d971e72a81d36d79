"""PostgreSQL: a weighted tsvector (title A, title and abstract B, authors C), GIN-indexed.

The tsvector is a stored generated column of papers_paper, so it can never
disagree with the row it describes; the ORM does not know the column.
Matching uses the GIN index; ranking is BM25 computed from the matching
rows' tsvectors (term occurrences by field) and exact document counts, not
ts_rank, which has no IDF and ranked the judged collections below BM25.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.db import connection

from dailypapers.search.backends.budget import bounded_search
from dailypapers.search.backends.cache import KeptValue, KeptValues
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
# How the column is kept, for ranking: reading each matching row's tsvector
# is most of a keyword search's time at a million papers.
# - In the row (MAIN), not in the TOAST table: a tsvector is about 1.6 KB,
#   past the 2 KB a row is allowed before its largest values move out (and
#   they do not compress: pglz gave up on all of them), so a matching row cost
#   a TOAST index lookup and chunk reads besides its heap page. Measured on
#   the 1M benchmark's 200 queries (docs/benchmarks.md, "Search"): keyword
#   p50 / p95 20.5 / 82.9 ms out of line, 9.9 / 34.7 ms in the row (8.2 /
#   29.6 without a per-row copy that only paid off out of line). The
#   abstract, which does compress, goes to the TOAST table instead; pages
#   and the feed read it for a page of papers, not for every match.
# - ANALYZE keeps the frequencies of the ~6,500 commonest lexemes instead of
#   ~1,000 (a tenth of the target each), down to about 0.07% of the papers
#   instead of 2%: what _count_papers reads in place of counting. At a
#   million papers it samples 300,000 rows in 11.7 s, which autovacuum does
#   in the background.
COLUMN_SETTINGS = [
    "ALTER TABLE papers_paper ALTER COLUMN search_tsv SET STORAGE MAIN",
    "ALTER TABLE papers_paper ALTER COLUMN search_tsv SET STATISTICS 1000",
]
_DDL.extend(COLUMN_SETTINGS)
_DROP = [
    "DROP INDEX IF EXISTS search_tsv_gin",
    "ALTER TABLE papers_paper DROP COLUMN IF EXISTS search_tsv",
]


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

    def refresh_statistics(self) -> None:
        """ANALYZE (autovacuum does it too), and the cached counts go."""
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE papers_paper")
        forget_statistics()

    def search(
        self, *, terms: list[str], filters: Filters, limit: int, hybrid: bool = False
    ) -> list[tuple[int, float]]:
        """BM25 over any of the words (OR); past the postings budget, see budget.bounded_search."""
        lexemes = _lexemes(terms)
        terms = [term for term in terms if lexemes.get(term)]  # stop words have none
        if not terms:
            return []
        counts = _document_counts(sorted({x for term in terms for x in lexemes[term]}))
        # A word stands for its lexemes by its commonest one.
        keys = [max(lexemes[term], key=lambda x: counts.get(x, 0)) for term in terms]
        key_counts = {key: counts.get(key, 0) for key in keys}
        share = HYBRID_RANK_COST_SHARE if hybrid else RANK_COST_SHARE
        budget = int(settings.SEARCH_POSTINGS_BUDGET * share)
        return bounded_search(
            self,
            terms=terms,
            stems=keys,
            counts=key_counts,
            budget=budget,
            # A GIN intersection reads each word's whole posting list.
            every_word_postings=4 * budget,
            filters=filters,
            limit=limit,
            hybrid=hybrid,
        )

    def ranked(self, terms, filters, limit, *, every: bool) -> list[tuple[int, float]]:
        return self._ranked(terms, filters, limit, every=every, newest=None)

    def newest(self, terms, filters, limit) -> list[tuple[int, float]]:
        return self._ranked(terms, filters, limit, every=False, newest=limit)

    def newest_unscored(self, terms, filters, limit) -> list[tuple[int, float]]:
        where, params = filter_sql(filters)
        sql = (
            "SELECT p.id FROM papers_paper p WHERE p.search_tsv @@ "
            f"websearch_to_tsquery('english', %s){where} ORDER BY p.id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [" ".join(dict.fromkeys(terms)), *params, limit])
            rows = [row[0] for row in cursor.fetchall()]
        return [(pk, 1.0 / (rank + 1)) for rank, pk in enumerate(rows)]

    def _ranked(self, terms, filters, limit, *, every: bool, newest: int | None):
        where, params = filter_sql(filters)
        weights = _query_lexeme_weights(terms)
        if not weights:
            return []
        avgdl = _collection()[1]
        title, text, authors = settings.SEARCH_FIELD_WEIGHTS
        # BM25 as FTS5's bm25() computes it (docs/search-quality.md): each
        # query lexeme's occurrences weighted by field (title A, title and
        # abstract B, authors C) and summed, saturated with k1, normalised by
        # the document's length (its distinct lexemes, which PostgreSQL
        # keeps in the tsvector's header) against the average, times the
        # lexeme's IDF from its document count (_document_counts). For a
        # single lexeme, ts_rank_cd without normalisation is exactly that
        # weighted count of occurrences, and costs a third of unnesting the
        # tsvector (measured at 75k papers). Its weights must be at most 1.
        top = max(title, text, authors) or 1.0
        field_weights = "{" + ", ".join(f"{w / top:.4f}" for w in (0.0, authors, text, title)) + "}"
        lexemes = list(weights)
        # A row holding one of several query words is asked for the others'
        # counts by @@ (a binary search of its lexemes) before ts_rank_cd,
        # which costs about a microsecond even for a word the row lacks
        # (PharmaShip's title at 1M, 2,615 rows of three words: 15-20 ms
        # without the test, 8-12 ms with it).
        counted = ", ".join(
            f"CASE WHEN m.tsv @@ quote_literal(%s)::tsquery THEN %s::float8 * ts_rank_cd("
            f"'{field_weights}', m.tsv, quote_literal(%s)::tsquery, 0) ELSE 0 END AS tf{i}"
            for i in range(len(lexemes))
        )
        # All in float8: a literal such as 0.75 is numeric to PostgreSQL, and
        # numeric arithmetic cost more than ts_rank_cd (the 1M benchmark's
        # PharmaShip title, 2,615 rows of three words: 17.7 ms, 9.4 ms in
        # float8, best of four).
        norm = "%s::float8 + %s::float8 * length(m.tsv) AS norm"
        score = " + ".join(f"%s::float8 * tf{i} / (tf{i} + c.norm)" for i in range(len(lexemes)))
        # websearch_to_tsquery never fails on user input; "or" between the
        # plain word tokens matches any of them, a space all of them.
        # ``newest``: only that many newest matches, ranked among themselves.
        inner = ""
        if newest:
            # "p.id + 0" cannot be read in order from the primary key, so the
            # planner fetches every match through GIN and sorts them; it
            # would rather walk the key from the newest paper, testing each
            # row, which for a rare word means thousands of rows per match
            # (1M papers, "hypergraph" in 0.3% of them: 32,033 rows walked,
            # 31 ms, against 9.4 ms for fetching its 3,224 matches).
            order = "p.id" if _walk_is_shorter(lexemes, newest) else "p.id + 0"
            inner = f" ORDER BY {order} DESC LIMIT %s"
        # OFFSET 0 keeps the subqueries from being folded into the
        # expressions above, where each tf would be computed again for every
        # mention of it.
        sql = (
            f"SELECT m.id, {score} AS score FROM ("
            "SELECT p.id, p.search_tsv AS tsv FROM papers_paper p "
            f"WHERE p.search_tsv @@ websearch_to_tsquery('english', %s){where}{inner} OFFSET 0"
            f") m CROSS JOIN LATERAL (SELECT {counted}, {norm} OFFSET 0) c "
            "ORDER BY score DESC, m.id LIMIT %s"
        )
        distinct = list(dict.fromkeys(terms))
        args = [
            *[weights[lexeme] * (_K1 + 1) for lexeme in lexemes],
            (" " if every else " or ").join(distinct),
            *params,
            *([newest] if newest else []),
            *[value for lexeme in lexemes for value in (lexeme, top, lexeme)],
            _K1 * (1 - _B),
            _K1 * _B / avgdl,
            limit,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            return [(row[0], float(row[1])) for row in cursor.fetchall()]


# BM25's saturation and length normalisation. k1 0.9 (Anserini's default):
# with FTS5's 1.2, CACM ranked .0007 nDCG@10 below the bm25s baseline; 0.9
# beats it on all three judged collections (docs/search-quality.md).
_K1, _B = 0.9, 0.75
_COUNT_SECONDS = 300
# Papers holding each lexeme (search.backends.cache).
_counts: KeptValues[int] = KeptValues(seconds=_COUNT_SECONDS)
# A word's lexemes depend on the word alone: asked about once.
_term_lexemes: KeptValues[list[str]] = KeptValues(seconds=None)
# Below this many papers every count is exact (and costs little).
_ESTIMATED_ABOVE = 100_000


def _lexemes(terms: list[str]) -> dict[str, list[str]]:
    """PostgreSQL's own lexemes of each query word (none for a stop word)."""
    return _term_lexemes.get_many(terms, _parse_words, default=[])


def _parse_words(terms: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.term, l.lexeme FROM unnest(%s::text[]) t(term), "
            "unnest(to_tsvector('english', t.term)) l",
            [terms],
        )
        for term, lexeme in cursor.fetchall():
            found.setdefault(term, []).append(lexeme)
    return found


def _walk_is_shorter(lexemes: list[str], limit: int) -> bool:
    """Whether the newest ``limit`` papers holding any of ``lexemes`` are found
    sooner by walking back from the newest paper (about limit * papers /
    matches rows) than by fetching every match (at most their counts' sum)."""
    matches = sum(_document_counts(lexemes).values())
    return _FETCHED_ROW_COST * matches * matches >= limit * _collection()[0]


# What fetching one match costs, in rows walked: a walk reads the table in
# the order it was written, several rows a page, while matches are fetched a
# page each. The 1M benchmark's 200 keyword queries, three rounds in one
# process, p95 / mean: 0.3: 35.6 / 17.3 ms; 1: 28.8 / 11.1; 3: 26.9-27.4 /
# 10.3-11.0; 6: 26.9 / 10.5; 12: 28.2 / 10.9.
_FETCHED_ROW_COST = 3


def _query_lexeme_weights(terms: list[str]) -> dict[str, float]:
    """The lexemes of the query words, each with its IDF times how often the
    query repeats it."""
    of = _lexemes(terms)
    lexemes = [x for term in terms for x in of.get(term, [])]
    counts = _document_counts(sorted(set(lexemes)))
    rows = max(_collection()[0], *counts.values(), 1.0)
    weights: dict[str, float] = {}
    for lexeme in lexemes:
        docs = counts.get(lexeme, 0)
        idf = math.log(1 + (rows - docs + 0.5) / (docs + 0.5))
        weights[lexeme] = weights.get(lexeme, 0.0) + idf
    return weights


def _document_counts(lexemes: list[str]) -> dict[str, int]:
    return _counts.get_many(lexemes, _count_papers, default=0)


def _count_papers(lexemes: list[str]) -> dict[str, int]:
    """Papers holding each lexeme. In a large collection a common lexeme's
    count is its frequency in ANALYZE's sample times the table's rows: counting
    it through the GIN index visits every row holding it (a word in 86% of a
    million papers: 2.7 s, and a pasted title has several such words), while
    the estimate is within 1% (docs/benchmarks.md, "Search"), which moves its
    IDF by less. Lexemes not among the sampled commonest are rare, so
    counting them is cheap; below 100,000 papers everything is counted."""
    rows = _collection()[0]
    common = _common_lexemes() if rows >= _ESTIMATED_ABOVE else {}
    found = {lexeme: round(common[lexeme] * rows) for lexeme in lexemes if lexeme in common}
    rest = [lexeme for lexeme in lexemes if lexeme not in found]
    if rest:
        found.update(_counted(rest))
    return found


def _read_common_lexemes() -> dict[str, float]:
    """The commonest lexemes and the share of papers holding each, from ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'papers_paper' AND attname = 'search_tsv' "
            "AND schemaname = current_schema()"
        )
        row = cursor.fetchone()
    # One frequency per lexeme, then summary values (the least and the greatest).
    return dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}


def _counted(lexemes: list[str]) -> dict[str, int]:
    """Papers holding each lexeme, counted with the GIN index, one query for all."""
    with connection.cursor() as cursor:
        # A lexeme as a tsquery, quoted, so it is neither parsed nor stemmed again.
        cursor.execute(
            "SELECT l, (SELECT count(*) FROM papers_paper "
            "WHERE search_tsv @@ (quote_literal(l))::tsquery) FROM unnest(%s::text[]) l",
            [lexemes],
        )
        return dict(cursor.fetchall())


def _read_collection() -> tuple[float, float]:
    """(papers in all, their mean distinct lexemes). The count is the
    planner's estimate when it is large (counting a million rows costs more
    than a search); smaller tables, and any table before its first ANALYZE,
    are counted. The mean is that of the newest 20,000."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT CASE WHEN c.reltuples < {_ESTIMATED_ABOVE} THEN (SELECT count(*) FROM papers_paper) "
            "ELSE c.reltuples END, (SELECT avg(length(search_tsv)) FROM (SELECT search_tsv "
            "FROM papers_paper ORDER BY id DESC LIMIT 20000) s) "
            "FROM pg_class c WHERE c.relname = 'papers_paper'"
        )
        rows, mean = cursor.fetchone()
    return max(float(rows or 0), 1.0), max(float(mean or 0), 1.0)


_collection_kept = KeptValue(_read_collection, seconds=_COUNT_SECONDS)
_common_kept = KeptValue(_read_common_lexemes, seconds=_COUNT_SECONDS)


def _collection() -> tuple[float, float]:
    """(papers in all, their mean distinct lexemes), kept a few minutes."""
    return _collection_kept.get()


def _common_lexemes() -> dict[str, float]:
    """ANALYZE's commonest lexemes and their shares of the papers, kept a few minutes."""
    return _common_kept.get()


def forget_statistics() -> None:
    _collection_kept.clear()
    _common_kept.clear()
    _counts.clear()


# Ranking reads each matching row's tsvector from the table: measured at 75k
# papers, a row costs PostgreSQL about three times what it costs FTS5, so the
# same budget allows a third of the rows.
RANK_COST_SHARE = 1 / 3
# A hybrid search's keyword side ranks a fifth: at a million papers a row
# cost 8-12 us (its page mostly read from the operating system's cache), and
# the side shares the two cores with the query's embedding. The 1M
# benchmark's 200 queries, hybrid, three rounds in one process, p95: a third
# 34.4-37.2 ms, a quarter 31.2, a fifth 25.6-28.7, an eighth 26.4; a topic
# query's own paper in the top 10 .417 with a third, .400 with the others.
# Keyword search alone keeps a third: with a fifth, some of Vaswani's long
# queries reach the budget (lexical nDCG@10 .4540 down to .4478; its hybrid
# goes from .5036 to .4957, still above lexical and vector, as it is).
HYBRID_RANK_COST_SHARE = 1 / 5
