"""Text clean-up shared by every source of paper metadata."""

from __future__ import annotations

import unicodedata

from dailypapers.papers.latex import latex_to_text


def squash(text: str | None) -> str:
    """Collapse runs of whitespace (arXiv wraps titles and abstracts at 80 columns)."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def clean_text(text: str | None) -> str:
    """Title or abstract as a reader sees it: TeX accents resolved, spacing squashed."""
    return squash(latex_to_text(text or ""))


def excerpt(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary no longer than ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"
