"""nDCG@10, Recall@100 and MRR@10 with binary relevance."""

from __future__ import annotations

import math
from collections.abc import Sequence


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
        return {"nDCG@10": 0.0, "Recall@100": 0.0, "MRR@10": 0.0, "queries": 0}
    mean = lambda f: sum(f(runs[q], qrels[q]) for q in queries) / len(queries)  # noqa: E731
    return {
        "nDCG@10": round(mean(ndcg_at), 4),
        "Recall@100": round(mean(recall_at), 4),
        "MRR@10": round(mean(mrr_at), 4),
        "queries": len(queries),
    }
