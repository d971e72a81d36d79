"""Keeping a keyword query's work bounded, whatever the size of the collection.

Both full-text engines score every document matching any query word, so a
query's time grows with the documents its words occur in. A word in a third
of all abstracts ("learning": 400,000 postings at a million papers) costs
most of that time and adds little to BM25, its IDF being low. Small
collections seldom reach the budget, so their ranking is (nearly) untouched
(docs/search-quality.md); past it, ``bounded_search`` decides what is ranked.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

from dailypapers.search.backends import keyword_index
from dailypapers.search.query import Filters

Hits = list[tuple[int, float]]

# What ranks below the papers holding every word gets a third of the budget:
# that ranking runs for most long queries, and a third halved their p95 at a
# million papers while finding a topic query's own paper as often
# (docs/benchmarks.md).
_BELOW_SHARE = 3
# A long query (a pasted abstract, a paper's text for related papers) is
# ranked by its most informative words: BM25 over all of them costs every
# word's postings, and its common words add least (docs/search-quality.md).
MAX_QUERY_WORDS = 32


def informative(
    terms: list[str], stems: list[str], counts: dict[str, int], *, papers: Callable[[], int]
) -> tuple[list[str], list[str]]:
    """(terms, stems) of the ``MAX_QUERY_WORDS`` distinct words with the most
    weight in BM25: times said in the query times IDF. A word in no paper
    weighs nothing; repeats of a kept word stay (BM25 sums over them).
    ``papers()``, the collection's size, is asked only for a long query."""
    said: dict[str, int] = {}
    for stem in stems:
        said[stem] = said.get(stem, 0) + 1
    if len(said) <= MAX_QUERY_WORDS:
        return terms, stems
    size = max(papers(), *counts.values(), 1)

    def weight(stem: str) -> float:
        found = counts.get(stem, 0)
        return said[stem] * math.log(1 + (size - found + 0.5) / (found + 0.5)) if found else 0

    best = sorted(said, key=lambda stem: (-weight(stem), stem))[:MAX_QUERY_WORDS]
    kept = {stem for stem in best if weight(stem) > 0} or set(best)
    pairs = [(term, stem) for term, stem in zip(terms, stems, strict=True) if stem in kept]
    return [term for term, _ in pairs], [stem for _, stem in pairs]


def within_budget(
    terms: list[str], stems: list[str], postings: dict[str, float], budget: int
) -> tuple[list[str], bool]:
    """(terms kept, whether even they exceed the budget): the commonest words
    are dropped, down to the rarest one."""
    if not budget:
        return terms, False
    kept = set(stems)
    for stem in sorted(set(stems), key=lambda s: (-postings.get(s, 0), s)):
        if len(kept) == 1 or sum(postings.get(k, 0) for k in kept) <= budget:
            break
        kept.discard(stem)
    over = sum(postings.get(k, 0) for k in kept) > budget
    return [term for term, stem in zip(terms, stems, strict=True) if stem in kept], over


class Primitives(Protocol):
    """What a backend runs for ``bounded_search``; ``every`` asks for papers
    holding every word (AND) instead of any (OR)."""

    def ranked(
        self, terms: list[str], filters: Filters, limit: int, *, every: bool, after: int = 0
    ) -> Hits:
        """The best ``limit`` by BM25 over ``terms`` (among papers with an id
        above ``after``)."""

    def newest(self, terms: list[str], filters: Filters, limit: int) -> Hits:
        """The newest ``limit`` holding any word, ranked among themselves."""

    def newest_unscored(self, terms: list[str], filters: Filters, limit: int) -> Hits:
        """The newest ``limit`` holding every word, newest first, not scored."""


def bounded_search(
    engine: Primitives,
    *,
    terms: list[str],
    stems: list[str],
    counts: dict[str, int],
    budget: int,
    every_word_postings: int,
    filters: Filters,
    limit: int,
    papers: Callable[[], int],
    hybrid: bool = False,
) -> Hits:
    """BM25 over any of the query's most informative words (``informative``;
    ``papers()`` is the collection's size), unless they are in more than ``budget``
    papers in all. Then the keyword index ranks them exactly (``exact``) if
    the worker has built it. Without it, papers holding every word come first: they lead an
    unbounded BM25 ranking of a short query, and both engines intersect
    cheaply. Their intersection is that of the rarest words whose postings
    together stay within ``every_word_postings`` (what an intersection and
    its scoring read grows with them), ranked by BM25 over those words when
    there are at least two and the rarest is within the budget; else (the
    rarest words are too common) the newest papers holding every word come,
    unscored. If that gives fewer than ``limit``, the ranking of the rarer
    words within a third of the budget follows, below them.

    ``hybrid`` (the keyword side of a hybrid search) leaves out the lists
    ordered by date and keeps what BM25 ranked: fusion reads a list's order
    as relevance, which the newest papers holding the words do not have,
    while the vector side ranks every paper by meaning.
    """
    terms, stems = informative(terms, stems, counts, papers=papers)
    counts = {stem: counts.get(stem, 0) for stem in set(stems)}
    if not budget or sum(counts.values()) <= budget:
        return engine.ranked(terms, filters, limit, every=False)
    found = exact(engine, terms=terms, filters=filters, limit=limit, budget=budget)
    if found is not None:
        return found
    # Words in no paper at all (typos) would empty an AND: only words present.
    present = {s: t for t, s in zip(terms, stems, strict=True) if counts.get(s, 0)}
    kept, over = within_budget(terms, stems, counts, max(1, budget // _BELOW_SHARE))
    core = _rarest(present, counts, every_word_postings)
    found: Hits = []
    if len(core) >= 2 and counts[core[0]] <= budget:
        found = engine.ranked([present[s] for s in core], filters, limit, every=True)
    elif len(present) >= 2 and not hybrid:
        # Even the rarest words are too common to rank together: walking the
        # intersection of every word from the newest paper stops after
        # ``limit`` of them.
        found = engine.newest_unscored(list(present.values()), filters, limit)
    if len(found) >= limit or not kept or (over and hybrid):
        return found[:limit]
    more: Hits = (
        engine.newest(kept, filters, limit)
        if over
        else engine.ranked(kept, filters, limit, every=False)
    )
    return _below(found, more)[:limit]


def exact(
    engine: Primitives, *, terms: list[str], filters: Filters, limit: int, budget: int
) -> Hits | None:
    """The keyword index's exact BM25 ranking (backends/keyword_index.py),
    with the papers added since its last round ranked by ``engine`` and
    merged by score (both are BM25 over the same fields); None without the
    index, or when so many papers are newer than it that ranking them would
    cost more than the budget (a bulk import the worker has not reached)."""
    last = keyword_index.covered_up_to()
    if last is None:
        return None
    after = keyword_index.papers_after(last)
    if after > budget:
        return None
    found = keyword_index.search(terms, filters, limit)
    if found is None:
        return None
    newer = engine.ranked(terms, filters, limit, every=False, after=last) if after else []
    return sorted(found + newer, key=lambda hit: -hit[1])[:limit]


def _rarest(present: dict[str, str], counts: dict[str, int], postings: int) -> list[str]:
    """The rarest present words (stems), as many as stay together within
    ``postings``: what an intersection reads. The commoner words left out add
    least to the ranking, and in a long query (a pasted title) they made the
    intersection the slowest part."""
    core: list[str] = []
    total = 0
    for stem in sorted(present, key=lambda s: (counts[s], s)):
        total += counts[stem]
        if total > postings:
            break
        core.append(stem)
    return core


def _below(first: Hits, then: Hits) -> Hits:
    """``first``, then the rest of ``then`` rescaled to score under all of it."""
    seen = {pk for pk, _ in first}
    then = [hit for hit in then if hit[0] not in seen]
    if first and then:
        floor, top = min(s for _, s in first), max(s for _, s in then)
        if top > 0 and floor > 0:
            then = [(pk, floor * 0.999 * s / top) for pk, s in then]
        else:
            then = [(pk, floor - 1 - rank) for rank, (pk, _) in enumerate(then)]
    return first + then
