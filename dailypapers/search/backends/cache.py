"""What a keyword search reads about the collection, kept in the process.

Both engines need, for every query word, how many papers hold it (for the
postings budget and for IDF), and counting a common word reads its whole
posting list: at a million papers that took longer than the search itself.
Counts change slowly, so each is kept a few minutes; a cache that grows past
its size is emptied rather than managed entry by entry.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

V = TypeVar("V")


class KeptValues(Generic[V]):
    """Values by key, each kept ``seconds`` (None: for good)."""

    def __init__(self, *, seconds: float | None, size: int = 100_000) -> None:
        self.seconds = seconds
        self.size = size
        self._values: dict[str, tuple[float, V]] = {}

    def get_many(
        self, keys: Iterable[str], fetch: Callable[[list[str]], dict[str, V]], default: V
    ) -> dict[str, V]:
        """The value of every key; those not kept (or kept too long) come from
        one call of ``fetch``, and a key it does not return gets ``default``."""
        now = time.monotonic()
        known: dict[str, V] = {}
        missing: list[str] = []
        for key in dict.fromkeys(keys):
            hit = self._values.get(key)
            if hit and (self.seconds is None or now - hit[0] < self.seconds):
                known[key] = hit[1]
            else:
                missing.append(key)
        if missing:
            found = fetch(missing)
            if len(self._values) > self.size:
                self._values.clear()
            for key in missing:
                known[key] = found.get(key, default)
                self._values[key] = (now, known[key])
        return known

    def clear(self) -> None:
        self._values.clear()


class KeptValue(Generic[V]):
    """One value from ``fetch``, fetched again once kept ``seconds``."""

    def __init__(self, fetch: Callable[[], V], *, seconds: float) -> None:
        self.fetch = fetch
        self.seconds = seconds
        self._kept: tuple[float, V] | None = None

    def get(self) -> V:
        now = time.monotonic()
        if self._kept is None or now - self._kept[0] >= self.seconds:
            self._kept = (now, self.fetch())
        return self._kept[1]

    def clear(self) -> None:
        self._kept = None
