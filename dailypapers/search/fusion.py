"""Merging ranked lists from the lexical and the vector index.

Two methods, compared on the judged collections (docs/search-quality.md):
reciprocal-rank fusion (Cormack et al. 2009; k=60 is Hugging Face's choice)
and a convex combination of min-max normalised scores over the candidates.
"""

from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60

Ranked = Sequence[tuple[int, float]]  # (id, score), best first


def reciprocal_rank(lists: Sequence[Ranked], *, k: int = RRF_K) -> list[tuple[int, float]]:
    scores: dict[int, float] = {}
    for ranked in lists:
        for rank, (doc, _) in enumerate(ranked, start=1):
            scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def _normalised(ranked: Ranked) -> dict[int, float]:
    if not ranked:
        return {}
    values = [score for _, score in ranked]
    low, high = min(values), max(values)
    span = high - low
    return {doc: (score - low) / span if span else 1.0 for doc, score in ranked}


def weighted(lexical: Ranked, vector: Ranked, *, vector_weight: float) -> list[tuple[int, float]]:
    """alpha * vector + (1 - alpha) * lexical, each min-max normalised; absent = 0."""
    lex, vec = _normalised(lexical), _normalised(vector)
    docs = lex.keys() | vec.keys()
    fused = {
        doc: vector_weight * vec.get(doc, 0.0) + (1 - vector_weight) * lex.get(doc, 0.0)
        for doc in docs
    }
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))
