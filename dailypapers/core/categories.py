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

# arXiv archives that OAI-PMH files under the "physics" set.
PHYSICS_ARCHIVES = frozenset(
    """astro-ph cond-mat gr-qc hep-ex hep-lat hep-ph hep-th math-ph nlin nucl-ex nucl-th
    physics quant-ph""".split()
)
# Archives whose categories are written archive.XX, XX in capitals ("cs.CL").
_CAPITALISED = frozenset("cs econ eess math q-bio q-fin stat".split())
# A category named among words ("cs.CL summarization"); only real archives:
# "e.g" has a category's form.
_NAMED = re.compile(r"(?<![\w.\-])([a-z][a-z\-]*)\.([A-Za-z][A-Za-z\-]+)(?![\w.\-])")


def _spelt(archive: str, subject: str) -> str | None:
    archive = archive.lower()
    if archive in _CAPITALISED:
        return f"{archive}.{subject.upper()}"
    return f"{archive}.{subject}" if archive in PHYSICS_ARCHIVES else None


def named_in(text: str) -> tuple[str, ...]:
    """The arXiv categories that ``text`` names as words of its own, spelt as
    arXiv spells them ("cs.cl" is cs.CL)."""
    found = (_spelt(archive, subject) for archive, subject in _NAMED.findall(text))
    return tuple(dict.fromkeys(c for c in found if c))


def without_named(text: str) -> str:
    """``text`` without the categories it names."""
    return _NAMED.sub(lambda m: " " if _spelt(*m.groups()) else m.group(), text)


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
