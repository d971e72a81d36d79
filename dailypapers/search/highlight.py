"""Snippets with the query's words marked, the same for every backend.

Words are compared by their Snowball stem, as the indexes compare them, so
"estimating" marks "estimation". The window of the abstract with the most
marked words is shown. Everything is HTML-escaped before marks are added.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dailypapers.search import stemming

_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    return stemming.stem(word.casefold())


def _spans(text: str, stems: frozenset[str]) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text) if stem(m.group()) in stems]


def mark(text: str, terms: list[str]) -> SafeString:
    """``text`` escaped, with every word sharing a stem with ``terms`` in <mark>."""
    stems = frozenset(stem(t) for t in terms)
    out, last = [], 0
    for start, end in _spans(text, stems) if stems else []:
        out += [escape(text[last:start]), "<mark>", escape(text[start:end]), "</mark>"]
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(text: str, terms: list[str], *, width: int = 240) -> SafeString:
    """The ``width``-character window of ``text`` richest in query words, marked."""
    if len(text) <= width:
        return mark(text, terms)
    stems = frozenset(stem(t) for t in terms)
    spans = _spans(text, stems) if stems else []
    start = 0
    if spans:
        best = max(
            range(len(spans)), key=lambda i: sum(1 for s, _ in spans[i:] if s < spans[i][0] + width)
        )
        start = max(0, spans[best][0] - 40)
        start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + width)
    end = text.rfind(" ", start, end) if end < len(text) and " " in text[start:end] else end
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(escape(prefix) + mark(text[start:end], terms) + escape(suffix))
