"""SQLite FTS5: BM25 over title, text and author names, Porter-stemmed.

The ``body`` column holds title and abstract together, as one BM25 field;
the separate ``title`` column adds weight to title words. Measured against a
title/abstract split on the judged collections, one text field was better
where many documents have no abstract (CACM).

The FTS table (created by search/migrations/0001) is an external-content
index over papers_paper, kept in step by triggers, so every write path (the
ORM, bulk inserts, imports) indexes without knowing about search. Its
``authors`` column indexes the names taken out of the JSON list, not the
JSON itself; FTS5 would read the raw JSON back from papers_paper, so no query
ever reads columns of search_fts (snippets are made in search.highlight) and
a rebuild re-inserts from papers_paper here rather than with FTS5's own
'rebuild', which cannot derive the names.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction

from dailypapers.core.cache import KeptValue, KeptValues
from dailypapers.search.backends.base import BM25_K1
from dailypapers.search.backends.budget import bounded_search
from dailypapers.search.backends.filters import filter_sql
from dailypapers.search.query import Filters

TOKENIZE = "porter unicode61 remove_diacritics 2"
_AUTHORS = "(SELECT group_concat(json_extract(value, '$.name'), ' ') FROM json_each({row}.authors))"
_REINDEX = [
    "INSERT INTO search_fts(search_fts) VALUES ('delete-all')",
    f"""INSERT INTO search_fts(rowid, title, body, authors)
        SELECT id, title, title || ' ' || abstract, {_AUTHORS.format(row="papers_paper")} FROM papers_paper""",
]
# The trigger the migration creates (search/migrations/0001), which a bulk
# insert drops and creates again.
_INSERT_TRIGGER = f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON papers_paper BEGIN
        INSERT INTO search_fts(rowid, title, body, authors)
        VALUES (new.id, new.title, new.title || ' ' || new.abstract, {_AUTHORS.format(row="new")});
    END"""


@contextmanager
def bulk_indexing(papers: Sequence) -> Iterator[None]:
    """Index a bulk insert with one statement instead of a trigger per row.

    The per-row trigger cost the snapshot import several times as much
    (docs/benchmarks.md). It is dropped and recreated inside the same
    transaction, which holds SQLite's write lock, so no other writer can slip
    past the index and a failure rolls the schema change back with the rows.
    """
    if connection.vendor != "sqlite" or not papers:
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER search_fts_insert")
        yield
        cursor.executemany(
            "INSERT INTO search_fts(rowid, title, body, authors) VALUES (%s, %s, %s, %s)",
            [
                (
                    p.pk,
                    p.title,
                    f"{p.title} {p.abstract}",
                    " ".join(a["name"] for a in p.authors) or None,
                )
                for p in papers
            ],
        )
        cursor.execute(_INSERT_TRIGGER)


# Reading a posting list for bm25()'s IDF costs a small part of scoring it,
# so an intersection may hold words with this many times the budget's postings.
_IDF_READ_SHARE = 4
# fts5vocab counts a term's documents by reading its whole posting list.
_counts: KeptValues[int] = KeptValues(seconds=300)


def _vocabulary_counts(stems: list[str]) -> dict[str, int]:
    marks = ", ".join(["%s"] * len(stems))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, doc FROM search_fts_vocab WHERE term IN ({marks})", stems)
        return dict(cursor.fetchall())


def _count_papers() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM papers_paper")
        return cursor.fetchone()[0]


_papers: KeptValue[int] = KeptValue(_count_papers, seconds=300)

# FTS5's bm25() fixes k1 at 1.2 and b at 0.75 (BM25_B is that b). It
# multiplies a column's weight into the word's count before saturating it,
# so weights all times 1.2 / BM25_K1 give BM25 at BM25_K1 times
# (1.2 + 1) / (BM25_K1 + 1); dividing that out leaves BM25 at BM25_K1
# exactly, on the scale of the keyword index's scores it is merged with
# (budget.exact).
_FTS5_K1 = 1.2
_K1_SCALE = _FTS5_K1 / BM25_K1
_SCORE_SCALE = (_FTS5_K1 + 1) / (BM25_K1 + 1)


def _document_counts(stems: list[str]) -> dict[str, int]:
    return _counts.get_many(stems, _vocabulary_counts, default=0)


# A query word's stem as the index holds it, from FTS5's own tokenizer:
# Snowball's Porter stemmer differs from it on about one word in 200
# ("technology"), and a word looked up under the wrong stem counts as in no
# paper at all, which the postings budget would then rank as free.
_stems: KeptValues[str] = KeptValues(seconds=None)
_tokenizers = threading.local()


def _tokenizer() -> sqlite3.Connection:
    """An in-memory FTS5 table of this thread: the same SQLite library as
    the database connection, so the same tokenizer, without writing to it."""
    tokenizer = getattr(_tokenizers, "connection", None)
    if tokenizer is None:
        tokenizer = sqlite3.connect(":memory:")
        tokenizer.execute(f"CREATE VIRTUAL TABLE words USING fts5(word, tokenize='{TOKENIZE}')")
        tokenizer.execute("CREATE VIRTUAL TABLE tokens USING fts5vocab(words, 'instance')")
        _tokenizers.connection = tokenizer
    return tokenizer


def _tokenize(terms: list[str]) -> dict[str, str]:
    """Each word's first token (FTS5 splits "foo_bar", which \\w+ keeps whole)."""
    tokenizer = _tokenizer()
    with tokenizer:
        tokenizer.executemany("INSERT INTO words(rowid, word) VALUES (?, ?)", enumerate(terms, 1))
        rows = tokenizer.execute("SELECT doc, term FROM tokens ORDER BY doc, offset").fetchall()
        tokenizer.execute("DELETE FROM words")
    first: dict[int, str] = {}
    for doc, token in rows:
        first.setdefault(doc, token)
    return {term: first[n] for n, term in enumerate(terms, 1) if n in first}


def index_stems(terms: list[str]) -> list[str]:
    """The stem the index holds for each word ("" for a word with no token)."""
    found = _stems.get_many(terms, _tokenize, default="")
    return [found[term] for term in terms]


def forget_document_counts() -> None:
    """After the index was rebuilt or emptied (tests, the eval command)."""
    _counts.clear()
    _papers.clear()


def match_expression(terms: list[str], *, operator: str = "OR") -> str:
    """Terms as FTS5 string literals joined by OR (or AND): no user text is ever FTS syntax."""
    return f" {operator} ".join('"' + term.replace('"', '""') + '"' for term in terms)


class SqliteFts5:
    vendor = "sqlite"

    def rebuild(self) -> None:
        with connection.cursor() as cursor:
            for statement in _REINDEX:
                cursor.execute(statement)
        forget_document_counts()

    def refresh_statistics(self) -> None:
        """FTS5 keeps its statistics as it goes; only the cached counts go."""
        forget_document_counts()

    def search(
        self, *, terms: list[str], filters: Filters, limit: int, hybrid: bool = False
    ) -> list[tuple[int, float]]:
        """BM25 over any of the words (OR); past the postings budget, see budget.bounded_search."""
        if not terms:
            return []
        stems = index_stems(terms)
        counts = _document_counts(sorted(set(stems)))
        budget = settings.SEARCH_POSTINGS_BUDGET
        return bounded_search(
            self,
            terms=terms,
            stems=stems,
            counts=counts,
            budget=budget,
            every_word_postings=_IDF_READ_SHARE * budget,
            filters=filters,
            limit=limit,
            papers=_papers.get,
            hybrid=hybrid,
        )

    def author_match(self, words: tuple[str, ...]) -> tuple[str, str, str]:
        # A column filter: the words must be in the author names, not the text.
        expression = "authors : (" + match_expression(list(words), operator="AND") + ")"
        return (
            "search_fts JOIN papers_paper p ON p.id = search_fts.rowid",
            "search_fts MATCH %s",
            expression,
        )

    def word_stems(self, words: tuple[str, ...]) -> list[str]:
        return index_stems(list(words))

    def word_papers(self, words: tuple[str, ...]) -> list[int]:
        stems = [stem for stem in index_stems(list(words)) if stem]
        counts = _document_counts(sorted(set(stems)))
        return [counts.get(stem, 0) for stem in stems]

    def _query(
        self, terms, filters, limit, *, every: bool, order: str, after: int = 0
    ) -> list[tuple[int, float]]:
        where, params = filter_sql(filters)
        join = "JOIN papers_paper p ON p.id = search_fts.rowid" if where else ""
        if after:
            # On the FTS table's rowid, which FTS5 seeks its posting lists to.
            where, params = f" AND search_fts.rowid > %s{where}", [after, *params]
        sql = (
            f"SELECT search_fts.rowid, bm25(search_fts, %s, %s, %s) AS score FROM search_fts {join} "
            f"WHERE search_fts MATCH %s{where} ORDER BY {order} LIMIT %s"
        )
        expression = match_expression(terms, operator="AND" if every else "OR")
        weights = [weight * _K1_SCALE for weight in settings.SEARCH_FIELD_WEIGHTS]
        args = [*weights, expression, *params, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            # bm25() is lower-is-better.
            return [(row[0], -row[1] / _SCORE_SCALE) for row in cursor.fetchall()]

    def ranked(self, terms, filters, limit, *, every: bool, after: int = 0):
        return self._query(terms, filters, limit, every=every, order="score", after=after)

    def newest(self, terms, filters, limit) -> list[tuple[int, float]]:
        """FTS5 walks rowids backwards and stops: the cost is ``limit``, not the matches."""
        found = self._query(terms, filters, limit, every=False, order="search_fts.rowid DESC")
        return sorted(found, key=lambda hit: -hit[1])

    def newest_unscored(self, terms, filters, limit) -> list[tuple[int, float]]:
        """Without bm25(), and so without reading the common words' posting lists."""
        where, params = filter_sql(filters)
        join = "JOIN papers_paper p ON p.id = search_fts.rowid" if where else ""
        sql = (
            f"SELECT search_fts.rowid FROM search_fts {join} WHERE search_fts MATCH %s{where} "
            "ORDER BY search_fts.rowid DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(terms, operator="AND"), *params, limit])
            rows = [row[0] for row in cursor.fetchall()]
        return [(pk, 1.0 / (rank + 1)) for rank, pk in enumerate(rows)]
