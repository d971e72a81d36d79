"""nDCG@10, Recall@100 and MRR@10 with binary relevance, and how sure a
difference between two runs is."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

BY_QUERY = "nDCG@10 by query"


def ndcg_at(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, doc in enumerate(ranked[:k]) if doc in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0


def recall_at(ranked: Sequence[str], relevant: set[str], k: int = 100) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def mrr_at(ranked: Sequence[str], relevant: set[str], k: int = 10) -> float:
    return next((1 / (i + 1) for i, doc in enumerate(ranked[:k]) if doc in relevant), 0.0)


def evaluate(
    runs: dict[str, Sequence[str]],
    qrels: dict[str, set[str]],
    *,
    exclude: dict[str, str] | None = None,
) -> dict[str, float]:
    """Mean metrics over the judged queries in ``runs`` (query id -> ranked doc
    ids). ``exclude``: a document left out of a query's ranking (the one a
    query by document was made of)."""
    if exclude:
        runs = {q: [d for d in ranked if d != exclude.get(q)] for q, ranked in runs.items()}
    queries = [q for q in runs if qrels.get(q)]
    if not queries:
        return {"nDCG@10": 0.0, "Recall@100": 0.0, "MRR@10": 0.0, "queries": 0, BY_QUERY: {}}
    mean = lambda f: sum(f(runs[q], qrels[q]) for q in queries) / len(queries)  # noqa: E731
    ndcg = {q: ndcg_at(runs[q], qrels[q]) for q in queries}
    return {
        "nDCG@10": round(sum(ndcg.values()) / len(queries), 4),
        "Recall@100": round(mean(recall_at), 4),
        "MRR@10": round(mean(mrr_at), 4),
        "queries": len(queries),
        # For intervals (percent_interval); the command drops it from its output.
        BY_QUERY: ndcg,
    }


def percent_interval(
    ours: dict[str, float],
    theirs: dict[str, float],
    *,
    level: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> tuple[float, float] | None:
    """How far our mean is above theirs, in percent, as a ``level`` interval
    over the queries (paired bootstrap: the same resampled queries for both
    runs). A collection judges a few dozen to a few hundred queries, and two
    runs differ on some of them only: a margin of a few percent can be luck,
    and the interval says how much. Seeded, so a run can be repeated."""
    queries = sorted(ours.keys() & theirs.keys())
    if not queries:
        return None
    pairs = [(ours[q], theirs[q]) for q in queries]
    draw = random.Random(seed)
    ratios = []
    for _ in range(resamples):
        sample = draw.choices(pairs, k=len(pairs))
        base = sum(b for _, b in sample)
        if base:
            ratios.append((sum(a for a, _ in sample) / base - 1) * 100)
    if not ratios:
        return None
    ratios.sort()
    tail = (1 - level) / 2
    low = ratios[int(tail * (len(ratios) - 1))]
    high = ratios[math.ceil((1 - tail) * (len(ratios) - 1))]
    return round(low, 2), round(high, 2)
