"""What the search facade needs from a database: the lexical index.

Each backend owns its full-text queries; the index itself is made by the
search app's migrations. Vectors are backend-independent (search.vectors).
"""

from __future__ import annotations

from typing import Protocol

from dailypapers.search.query import Filters

# BM25's saturation and length normalisation, the same on every backend.
# k1 0.9 is Anserini's default: under FTS5's own 1.2 a word said again
# counted for more, and hybrid search ranked every judged collection lower
# (docs/search-quality.md, "One k1 on both backends"). b is FTS5's own,
# which SQLite's bm25() cannot change.
BM25_K1, BM25_B = 0.9, 0.75


class LexicalBackend(Protocol):
    vendor: str

    def rebuild(self) -> None:
        """Re-index every paper (after a bulk load with the index switched off, or repair)."""

    def refresh_statistics(self) -> None:
        """Bring ranking statistics up to date after a bulk load."""

    def search(
        self, *, terms: list[str], filters: Filters, limit: int, hybrid: bool = False
    ) -> list[tuple[int, float]]:
        """(paper id, score) of the best ``limit`` matches, best first; higher
        is better. ``hybrid``: the keyword side of a hybrid search, which
        past the postings budget keeps only what BM25 ranked
        (budget.bounded_search) and may be given a smaller budget."""

    def author_match(self, words: tuple[str, ...]) -> tuple[str, str, str]:
        """(FROM clause joining papers_paper as ``p``, a WHERE condition with
        one parameter, that parameter) selecting papers whose author names
        hold every one of ``words``: filters.authored runs it."""

    def word_stems(self, words: tuple[str, ...]) -> list[str]:
        """Each of ``words`` as the index stems it ("" for a word it holds
        no token for): two words with one stem are one word to it."""

    def word_papers(self, words: tuple[str, ...]) -> list[int]:
        """How many papers hold each of ``words`` as the index stems them
        (words it holds no token for left out)."""
