"""What the search facade needs from a database: the lexical index.

Each backend owns its full-text queries; the index itself is made by the
search app's migrations. Vectors are backend-independent (search.vectors).
"""

from __future__ import annotations

from typing import Protocol

from dailypapers.search.query import Filters


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

    def authored(
        self, *, words: tuple[str, ...], filters: Filters, limit: int, rare_only: bool = False
    ) -> list[int]:
        """Papers whose author names hold every one of ``words`` (case folded),
        newest first. The words may be spread over several authors: callers
        check names with query.names_match. ``rare_only``: none unless one
        word is in few papers (budget.NAME_WORD_PAPERS), so that a topic of
        common words costs nothing."""
