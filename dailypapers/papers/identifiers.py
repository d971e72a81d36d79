"""arXiv identifiers, in every spelling the sources and users give them.

New-style ids are YYMM.NNNN (2007-2014) or YYMM.NNNNN (2015-), old-style ids
are archive[.SUBJ]/YYMMNNN; either may carry a version ("v2"), an "arXiv:"
prefix, an OAI identifier prefix or sit inside an abs/pdf URL.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass

_NEW = r"(?P<new>\d{4}\.\d{4,5})"
_OLD = r"(?P<old>(?P<archive>[a-z][a-z\-]*)(?:\.[A-Za-z\-]{2,})?/(?P<number>\d{7}))"
_VERSION = r"(?:v(?P<version>\d{1,4}))?"
_ID_RE = re.compile(rf"^(?:{_NEW}|{_OLD}){_VERSION}$", re.IGNORECASE)
_PREFIXES = re.compile(
    r"^(?:oai:arxiv\.org:|arxiv:|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ArxivId:
    id: str  # canonical, without version
    version: int | None

    def __str__(self) -> str:
        return f"{self.id}v{self.version}" if self.version else self.id


def parse_arxiv_id(raw: str) -> ArxivId | None:
    """Return the canonical id and version of ``raw``, or None if it is not one."""
    if not raw:
        return None
    text = _PREFIXES.sub("", raw.strip())
    text = re.sub(r"(?:\.pdf)?/?(?:[?#].*)?$", "", text, flags=re.IGNORECASE)
    match = _ID_RE.match(text)
    if not match:
        return None
    if match.group("new"):
        canonical = match.group("new")
    else:
        # "math.GT/0309136" is the same paper as "math/0309136".
        canonical = f"{match.group('archive').lower()}/{match.group('number')}"
    version = match.group("version")
    return ArxivId(canonical, int(version) if version else None)


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


# For ASCII text, what _NON_WORD matches is every character but a-z and 0-9
# (after casefolding): translating them to spaces and splitting gives the same
# key in a third of the time (every imported paper needs one).
_ASCII_NON_WORD = {
    c: " " for c in range(128) if chr(c) not in string.ascii_lowercase + string.digits
}


def title_key(title: str) -> str:
    """Casefolded title with punctuation and spacing removed, for matching."""
    if title.isascii():
        return " ".join(title.lower().translate(_ASCII_NON_WORD).split())[:255]
    return _NON_WORD.sub(" ", title.casefold()).strip()[:255]


def local_key_for(title: str) -> str:
    return hashlib.sha1(title_key(title).encode()).hexdigest()[:12]
