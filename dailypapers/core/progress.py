"""Progress bars for long imports, on stderr so summaries stay pipeable."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress_bar(
    iterable: Iterable | None = None,
    *,
    total: float | None = None,
    desc: str,
    unit: str = "it",
    enabled: bool = True,
    **kwargs,
) -> tqdm:
    """A bar over ``iterable``, or updated by hand for work measured in bytes or records."""
    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=unit,
        file=sys.stderr,
        disable=not enabled,
        dynamic_ncols=True,
        smoothing=0.1,
        **kwargs,
    )


def progress(
    items: Iterable[T], *, total: int | None = None, desc: str, unit: str = "it", enabled=True
) -> Iterator[T]:
    return iter(progress_bar(items, total=total, desc=desc, unit=unit, enabled=enabled))
