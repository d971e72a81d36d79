"""arXiv categories as filters: "cs.CL" means that category, "cs" every cs.* one.

Papers keep arXiv's space-separated form, primary first ("cs.CL cs.LG"). The
rule is written once, as needles to find in that text padded with a space on
each side; Python (digests, the daily ingest), the ORM (category feeds) and
SQL (search filters) all look for the same needles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# An archive ("cs", "astro-ph") or one of its categories ("cs.CL", "math.AG").
_CATEGORY = re.compile(r"^[a-z\-]+(\.[A-Za-z\-]+)?$")


def is_category(text: str) -> bool:
    """Whether ``text`` has the form of an arXiv archive or category."""
    return bool(_CATEGORY.match(text))


def needles(wanted: str) -> tuple[str, ...]:
    """What ``" " + categories + " "`` contains when a paper is in ``wanted``."""
    return (f" {wanted} ",) if "." in wanted else (f" {wanted} ", f" {wanted}.")


def padded(categories: str) -> str:
    return f" {categories} "


def first_match(categories: Iterable[str], wanted: Iterable[str]) -> str:
    """The first of ``categories`` that one of ``wanted`` covers, "" if none."""
    wanted = list(wanted)
    for category in categories:
        text = padded(category)
        if any(needle in text for want in wanted for needle in needles(want)):
            return category
    return ""
