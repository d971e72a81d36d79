"""Spelling suggestions: "Did you mean transformer attention?" for "transfomer atention".

A typo finds nothing by its words (no paper holds "transfomer") and, below
the similarity floor, nothing by meaning either: the page said "No papers
match" and left the reader to find the typo. Here each word of a short query
is looked up among the words the papers hold (``Word``, counted by
vocabulary.py); of the words one edit away from it (a letter dropped,
added or changed, two neighbours swapped: Norvig's corrector, the edits
that make most typos), the one the most papers hold is suggested when it is
held by far more papers than the word typed. That is the noisy-channel
choice with a typo's chance put at 1 in ``_FACTOR``: a word is kept unless
its neighbour is that much more common, so "modal" stays "modal" beside
"model", while "atention" (in no paper) becomes "attention".

A word no paper holds, of ``TWO_EDITS_FROM`` letters or more, with no word
of the papers one edit away, is looked for two edits away ("atension" for
"attention"), among the words with its first letter (or its second): a
word the papers do hold is spared that wider net, in which a rare word
finds a common one by chance ("motels" is two edits from "model").

The suggestion is a link, never a silent rewrite: a rare word may be what
the reader meant.
"""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import OSA

from dailypapers.papers.identifiers import parse_arxiv_id
from dailypapers.search.models import Compound, Word
from dailypapers.search.query import STOPWORDS, SearchQuery

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Shorter words are mostly acronyms, and one edit from an acronym lies another.
MIN_LENGTH = 4
# Longer queries are descriptions or pasted abstracts, not typed words.
MAX_WORDS = 8
# A suggestion must be held by this many times the papers holding the word typed...
_FACTOR = 100
# ...and by at least this many papers.
MIN_PAPERS = 3
# A word this many papers hold is a word, not a typo, whatever its
# neighbours: at a million papers "modal" is held by a hundredth of the
# papers "model" is. It also spares a correct query the candidates' lookup.
KNOWN_FROM = 50
# Two edits make a real word of a short one too often ("mold" for "model").
TWO_EDITS_FROM = 6


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changes = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | swaps | changes | inserts) - {word}


def spelling_suggestion(*, query: SearchQuery) -> str | None:
    """The query's text with each misspelt word replaced, or None when none is."""
    if query.filters.author or len(query.terms) > MAX_WORDS or parse_arxiv_id(query.text):
        return None
    checked = {
        w
        for w in query.terms
        if MIN_LENGTH <= len(w) <= 32 and w.isalpha() and w.isascii() and w not in STOPWORDS
    }
    if not checked:
        return None
    rows = list(Word.objects.filter(word__in=checked).values_list("word", "papers", "name"))
    held = {word: papers for word, papers, _ in rows}
    # A word of an author's name is that name, not a typo: "Yann" beside "Yang".
    names = {word for word, _, name in rows if name}
    unknown = {w for w in checked - names if held.get(w, 0) < KNOWN_FROM}
    if unknown:
        # A word the papers write hyphenated is no typo: "multiagent" for "multi-agent".
        unknown -= set(Compound.objects.filter(word__in=unknown).values_list("word", flat=True))
    edits = {w: _edits(w) for w in unknown}
    if not edits:
        return None
    candidates = Word.objects.papers_holding(e for found in edits.values() for e in found)
    fixes = {}
    for word, near in edits.items():
        at_least = max(MIN_PAPERS, _FACTOR * held.get(word, 0))
        best = max(near & candidates.keys(), key=lambda e: (candidates[e], e), default=None)
        if best is None and word not in held and len(word) >= TWO_EDITS_FROM:
            fixes[word] = _two_edits_away(word, at_least=at_least)
        elif best and candidates[best] >= at_least:
            fixes[word] = best
    fixes = {word: fix for word, fix in fixes.items() if fix}
    if not fixes:
        return None
    return re.sub(r"\w+", lambda m: _as_typed(m.group(), fixes), query.text)


def _two_edits_away(word: str, *, at_least: int) -> str | None:
    """The word held by the most papers (at least ``at_least``) that is two
    of _edits' edits from ``word``, among the words beginning with its first
    letter, or failing any, with its second: a typo rarely touches the
    first letter, and when it adds a letter before it or swaps the first
    two, the word meant begins with the second.

    Spelling out every string two edits away would be a hundred thousand
    lookups; the words with one first letter are a few thousand (a range of
    the table's key), which rapidfuzz measures in C (the cost:
    docs/benchmarks.md, "Spelling suggestions").
    """
    for start in dict.fromkeys(word[:2]):
        rows = Word.objects.filter(
            word__gte=start, word__lt=chr(ord(start) + 1), papers__gte=at_least
        ).values_list("word", "papers")
        held = {w: n for w, n in rows if abs(len(w) - len(word)) <= 2}
        near = process.extract(word, list(held), scorer=OSA.distance, score_cutoff=2, limit=None)
        if near:
            return max((w for w, _, _ in near), key=lambda w: (held[w], w))
    return None


def _as_typed(typed: str, fixes: dict[str, str]) -> str:
    """The fix of a typed word in the case it was typed in."""
    fix = fixes.get(typed.casefold())
    if fix is None:
        return typed
    if typed.isupper():
        return fix.upper()
    return fix.capitalize() if typed[0].isupper() else fix
