"""Author lists from the shapes the sources use, in byline order.

Each author is ``{"name": ...}`` plus ``given`` and ``family`` where the
source separates them (the snapshot's ``authors_parsed``, OAI-PMH's
``keyname``/``forenames``), and ``affiliation`` where it names one.
"""

from __future__ import annotations

import re

from dailypapers.papers.latex import latex_to_text
from dailypapers.papers.text import squash


def _clean(part: str | None) -> str:
    if not part:
        return ""
    if "\\" in part:
        part = latex_to_text(part)
    elif part.isascii():
        # Most name parts: squash's work without its calls (the snapshot
        # import cleans about six parts a paper).
        return " ".join(part.split())
    return squash(part)


def author(
    *, family: str = "", given: str = "", suffix: str = "", name: str = "", affiliation: str = ""
) -> dict[str, str] | None:
    family, given, suffix = _clean(family), _clean(given), _clean(suffix)
    full = _clean(name) or " ".join(p for p in (given, family, suffix) if p)
    if not full:
        return None
    entry = {"name": full}
    if family:
        entry["family"] = family
    if given:
        entry["given"] = given
    if affiliation and _clean(affiliation):
        entry["affiliation"] = _clean(affiliation)
    return entry


def from_parsed(parsed: list) -> list[dict[str, str]]:
    """The snapshot's ``authors_parsed``: [[family, given, suffix, ...affiliations], ...]."""
    authors = []
    for row in parsed or []:
        if not isinstance(row, list) or not row:
            continue
        fields = [x if isinstance(x, str) else "" if x is None else str(x) for x in row]
        fields += ["", ""]
        given = fields[1]
        if "-" in given:
            # arXiv's parser splits hyphenated initials: "C.-P." arrives as "C. -P.".
            given = _SPLIT_INITIALS.sub(".-", given)
        entry = author(
            family=fields[0],
            given=given,
            suffix=fields[2],
            affiliation=", ".join(f for f in fields[3:] if f) if len(fields) > 5 else "",
        )
        if entry:
            authors.append(entry)
    return authors


_SPLIT_INITIALS = re.compile(r"\.\s+-")
_AFFILIATION = re.compile(r"\([^()]*(?:\([^()]*\)[^()]*)*\)")
_SEPARATOR = re.compile(r"\s*(?:,|;|\band\b)\s*")


def from_string(text: str) -> list[dict[str, str]]:
    """A byline string: "A. Author (Inst), B. Author and C. Author"."""
    plain = _AFFILIATION.sub(" ", latex_to_text(text or ""))
    names = [squash(part) for part in _SEPARATOR.split(squash(plain))]
    return [{"name": name} for name in names if name and name.lower() not in ("et al", "et al.")]
