"""Text clean-up shared by every source of paper metadata."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def squash(text: str | None) -> str:
    """Collapse runs of whitespace (arXiv wraps titles and abstracts at 80 columns)."""
    if not text:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def excerpt(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary no longer than ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"
