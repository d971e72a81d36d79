"""Hostile input for pages and renderers that show user text, and the check that it is inert."""

from __future__ import annotations

from bs4 import BeautifulSoup

HOSTILE_MARKDOWN = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)">',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]


FORBIDDEN = {"script", "style", "img", "svg", "iframe", "object"}


def assert_inert(html: str, forbidden: set[str] = FORBIDDEN) -> None:
    """No live script, event handler, style, frame or non-web link in ``html``."""
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        assert tag.name not in forbidden, html
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), html
            if name in ("href", "src"):
                scheme = str(value).split(":", 1)[0].lower() if ":" in str(value) else ""
                assert scheme in {"", "http", "https", "mailto"}, html


# What readers may type into a search box or a URL: FTS syntax, SQL, sizes, bytes.
HOSTILE_QUERIES = [
    '"unbalanced quote',
    "NEAR(a b",
    "a*",
    "*",
    "title:secret",
    "^start",
    "- AND OR NOT",
    "'; DROP TABLE papers_paper; --",
    "x" * 10_000,
    "🙂 emoji 🚀",
    "",
    "   ",
    "\x00null",
    "a\\b",
    "(((((",
    "information AND",
    '"a" NEAR/2 "b"',
    "%_%",
    "{}[]",
    "ünïcödé",
]
