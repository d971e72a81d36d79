"""PostgreSQL: a weighted tsvector (title A, title and abstract B, authors C), GIN-indexed.

The tsvector is a stored generated column of papers_paper (made by
search/migrations/0001), so it can never disagree with the row it describes;
the ORM does not know the column. It is kept in the row rather than in the
TOAST table, and ANALYZE keeps its 6,500 commonest lexemes: reading each
matching row's tsvector is most of a keyword search's time, and those
statistics replace counting common words (docs/decisions.md).

Matching uses the GIN index; ranking is BM25 computed from the matching
rows' tsvectors (term occurrences by field) and document counts, not
ts_rank, which has no IDF and ranked the judged collections below BM25.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.db import connection

from dailypapers.core.cache import KeptValue, KeptValues
from dailypapers.search.backends.base import BM25_B, BM25_K1
from dailypapers.search.backends.budget import bounded_search
from dailypapers.search.backends.filters import filter_sql
from dailypapers.search.query import Filters


class PostgresTsvector:
    vendor = "postgresql"

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
            papers=lambda: int(_collection()[0]),
            hybrid=hybrid,
        )

    def author_match(self, words: tuple[str, ...]) -> tuple[str, str, str]:
        # Weight C holds the author names, parsed by the 'simple' configuration
        # (search/migrations/0001). The words are \w+ tokens, which hold no
        # quote, so quoting them is enough.
        expression = " & ".join(f"'{word}':C" for word in words)
        return "papers_paper p", "p.search_tsv @@ to_tsquery('simple', %s)", expression

    def word_stems(self, words: tuple[str, ...]) -> list[str]:
        found = _lexemes(list(words))
        return [" ".join(found.get(word, [])) for word in words]

    def word_papers(self, words: tuple[str, ...]) -> list[int]:
        lexemes = sorted({x for found in _lexemes(list(words)).values() for x in found})
        counts = _document_counts(lexemes)
        return [counts.get(lexeme, 0) for lexeme in lexemes]

    def ranked(self, terms, filters, limit, *, every: bool, after: int = 0):
        return self._ranked(terms, filters, limit, every=every, newest=None, after=after)

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

    def _ranked(self, terms, filters, limit, *, every: bool, newest: int | None, after: int = 0):
        where, params = filter_sql(filters)
        if after:
            # The papers newer than the keyword index: few, read by primary key.
            where, params = f" AND p.id > %s{where}", [after, *params]
        weights = _query_lexeme_weights(terms)
        if not weights:
            return []
        avgdl = _collection()[1]
        title, text, authors = settings.SEARCH_FIELD_WEIGHTS
        # BM25 as FTS5's bm25() computes it (docs/search-quality.md): each
        # query lexeme's occurrences weighted by field and summed, saturated
        # with k1, normalised by the document's length (its distinct lexemes)
        # against the average, times the lexeme's IDF. For one lexeme,
        # ts_rank_cd without normalisation is exactly that weighted count, and
        # cheaper than unnesting the tsvector. Its weights must be at most 1.
        top = max(title, text, authors) or 1.0
        field_weights = "{" + ", ".join(f"{w / top:.4f}" for w in (0.0, authors, text, title)) + "}"
        lexemes = list(weights)
        # @@ (a binary search of the row's lexemes) first: ts_rank_cd costs
        # about a microsecond even for a word the row lacks.
        counted = ", ".join(
            f"CASE WHEN m.tsv @@ quote_literal(%s)::tsquery THEN %s::float8 * ts_rank_cd("
            f"'{field_weights}', m.tsv, quote_literal(%s)::tsquery, 0) ELSE 0 END AS tf{i}"
            for i in range(len(lexemes))
        )
        # All in float8: a literal such as 0.75 is numeric to PostgreSQL, and
        # numeric arithmetic cost more than ts_rank_cd itself.
        norm = "%s::float8 + %s::float8 * length(m.tsv) AS norm"
        score = " + ".join(f"%s::float8 * tf{i} / (tf{i} + c.norm)" for i in range(len(lexemes)))
        # websearch_to_tsquery never fails on user input; "or" between the
        # plain word tokens matches any of them, a space all of them.
        # ``newest``: only that many newest matches, ranked among themselves.
        inner = ""
        if newest:
            # "p.id + 0" cannot be read in order from the primary key, so the
            # planner fetches every match through GIN and sorts them; left
            # alone it would walk the key from the newest paper, testing each
            # row, thousands of rows per match of a rare word.
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
            *[weights[lexeme] * (BM25_K1 + 1) for lexeme in lexemes],
            (" " if every else " or ").join(distinct),
            *params,
            *([newest] if newest else []),
            *[value for lexeme in lexemes for value in (lexeme, top, lexeme)],
            BM25_K1 * (1 - BM25_B),
            BM25_K1 * BM25_B / avgdl,
            limit,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            return [(row[0], float(row[1])) for row in cursor.fetchall()]


_COUNT_SECONDS = 300
# Papers holding each lexeme (core.cache).
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
# page each (chosen at a million papers: docs/benchmarks.md).
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
    count is its frequency in ANALYZE's sample times the table's rows:
    counting it through the GIN index visits every row holding it (seconds
    for a word in most papers), while the estimate is within 1%, which moves
    its IDF by less. Lexemes not among the sampled commonest are rare, so
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


# Ranking a row costs PostgreSQL about three times what it costs FTS5, so
# the postings budget allows a third of the rows; the keyword side of a
# hybrid search, which shares the cores with the query's embedding, a fifth
# (both chosen at a million papers: docs/benchmarks.md).
RANK_COST_SHARE = 1 / 3
HYBRID_RANK_COST_SHARE = 1 / 5
