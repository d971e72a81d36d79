"""Values a process keeps for a while instead of asking the database again.

Every process-wide cache of the code is one of these two classes. Values
kept for a while describe the stored data (how many papers hold a word);
``forget_all`` empties those at once, as the test suite does before each
test, whose database is another collection. Values kept for good depend
only on their key (a word's stem, a loaded model) and stay.
Django's cache framework is for values shared between processes; these hold
Python objects (an index, a loaded model's statistics) that only make sense
in the process that read them.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_every: weakref.WeakSet = weakref.WeakSet()


def forget_all() -> None:
    """Empty every cache of this process whose values are kept for a while."""
    for kept in list(_every):
        kept.clear()


class KeptValues(Generic[K, V]):
    """Values by key, each kept ``seconds`` (None: for good).

    A cache that grows past ``size`` is emptied rather than managed entry by
    entry: what it holds is cheap to ask again and changes slowly.
    """

    def __init__(self, *, seconds: float | None, size: int = 100_000) -> None:
        self.seconds = seconds
        self.size = size
        self._values: dict[K, tuple[float, V]] = {}
        if seconds is not None:
            _every.add(self)

    def get_many(
        self, keys: Iterable[K], fetch: Callable[[list[K]], dict[K, V]], default: V
    ) -> dict[K, V]:
        """The value of every key; those not kept (or kept too long) come from
        one call of ``fetch``, and a key it does not return gets ``default``."""
        now = time.monotonic()
        known: dict[K, V] = {}
        missing: list[K] = []
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
    """One value from ``fetch``, fetched again once kept ``seconds`` (None:
    for good) or, with ``stamp``, when what ``stamp()`` returns changes (a
    file's modification time). Safe to share between threads: one of them
    fetches while the others wait."""

    def __init__(
        self,
        fetch: Callable[[], V],
        *,
        seconds: float | None = None,
        stamp: Callable[[], Hashable] | None = None,
    ) -> None:
        self.fetch = fetch
        self.seconds = seconds
        self.stamp = stamp
        self._lock = threading.Lock()
        self._kept: tuple[float, Hashable, V] | None = None
        if seconds is not None:
            _every.add(self)

    def get(self) -> V:
        now = time.monotonic()
        stamp = self.stamp() if self.stamp else None
        with self._lock:
            kept = self._kept
            fresh = (
                kept is not None
                and kept[1] == stamp
                and (self.seconds is None or now - kept[0] < self.seconds)
            )
            if not fresh:
                self._kept = kept = (now, stamp, self.fetch())
            return kept[2]

    def clear(self) -> None:
        with self._lock:
            self._kept = None


class RecentValues(Generic[K, V]):
    """The values used last, at most ``max_bytes`` of them (by ``len`` of the
    value's ``sized`` part); the least recently used go first. For values
    whose key says which version of the data they show, so that they never
    need to be forgotten, only to make room."""

    def __init__(self, *, max_bytes: int, sized: Callable[[V], int] = len) -> None:
        self.max_bytes = max_bytes
        self.sized = sized
        self.size = 0
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def keep(self, key: K, value: V) -> None:
        with self._lock:
            old = self._values.pop(key, None)
            if old is not None:
                self.size -= self.sized(old)
            self._values[key] = value
            self.size += self.sized(value)
            while self.size > self.max_bytes and self._values:
                _, dropped = self._values.popitem(last=False)
                self.size -= self.sized(dropped)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self.size = 0
