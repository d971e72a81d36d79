"""Keeping a keyword query's work bounded, whatever the size of the collection.

Both full-text engines score every document matching any query word, so a
query's time grows with the documents its words occur in. A word in a third
of all abstracts ("learning": 300,000 postings at a million papers) costs
most of that time and adds almost nothing to BM25, its IDF being near zero.
Above the budget the commonest words are skipped, down to the rarest one;
small collections never reach it, so their ranking is untouched
(docs/search-quality.md).
"""

from __future__ import annotations


def within_budget(
    terms: list[str], stems: list[str], postings: dict[str, float], budget: int
) -> tuple[list[str], bool]:
    """(terms kept, whether even they exceed the budget)."""
    if not budget:
        return terms, False
    kept = set(stems)
    for stem in sorted(set(stems), key=lambda s: (-postings.get(s, 0), s)):
        if len(kept) == 1 or sum(postings.get(k, 0) for k in kept) <= budget:
            break
        kept.discard(stem)
    over = sum(postings.get(k, 0) for k in kept) > budget
    return [term for term, stem in zip(terms, stems, strict=True) if stem in kept], over
