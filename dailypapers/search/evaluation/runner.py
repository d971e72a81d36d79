"""Running a judged collection through the real search code path.

The collection is stored as papers in the configured database, embedded and
indexed by the same services as real papers, and every query goes through
``hybrid.ranked_ids``: what is measured is what users get.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.test import override_settings

from dailypapers.papers.bulk import insert_papers
from dailypapers.papers.models import Paper
from dailypapers.search import hybrid, services, vocabulary
from dailypapers.search.backends import lexical_backend
from dailypapers.search.evaluation.by_document import excluded
from dailypapers.search.evaluation.collections import Collection
from dailypapers.search.evaluation.metrics import evaluate
from dailypapers.search.query import MODE_HYBRID, MODE_LEXICAL, Filters, SearchQuery
from dailypapers.search.vectors import embeddings

DEPTH = 100
SWEEP_WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7)


def store(collection: Collection) -> dict[int, str]:
    """Insert the documents as papers; returns paper id -> document id."""
    papers = [
        Paper(
            local_key=f"ev{doc.id}"[:16],
            title=doc.title,
            title_key="",
            abstract=doc.text,
            authors=[{"name": name} for name in doc.authors],
            authors_count=len(doc.authors) or None,
            metadata_source="evaluation",
        )
        for doc in collection.documents
    ]
    for start in range(0, len(papers), 5000):
        insert_papers(papers[start : start + 5000])
    return {paper.pk: doc.id for paper, doc in zip(papers, collection.documents, strict=True)}


def _runs(queries: dict[str, str], search: Callable[[str], list[int]], doc_of: dict[int, str]):
    return {
        qid: [doc_of[pk] for pk in search(text)[:DEPTH] if pk in doc_of]
        for qid, text in queries.items()
    }


def run(collection: Collection, *, modes: list[str], sweep: bool, show_progress: bool) -> dict:
    started = time.perf_counter()
    doc_of = store(collection)
    lexical_backend().refresh_statistics()
    # What the worker does after papers arrive: past the postings budget the
    # site ranks with it (search/backends/keyword_index.py).
    services.keyword_index_refresh()
    # And its count of the words the papers write hyphenated (variants.py).
    vocabulary.vocabulary_refresh()
    stored = time.perf_counter()
    report = (
        services.index_if_needed(show_progress=show_progress) if modes != [MODE_LEXICAL] else None
    )
    indexed = time.perf_counter()
    queries = collection.judged()
    result: dict = {
        "collection": collection.name,
        "layout": collection.layout,
        "backend": lexical_backend().vendor,
        "documents": len(collection.documents),
        "queries": len(queries),
        "embedding_model": embeddings.MODEL_NAME,
        "fusion": settings.SEARCH_FUSION,
        "modes": {},
        "seconds": {
            "store": round(stored - started, 1),
            "embed_and_index": round(indexed - stored, 1),
        },
    }
    if report is not None:
        result["vectors"] = report.index.count if report.index else 0
    for mode in modes:
        t0 = time.perf_counter()
        runs = _runs(
            queries,
            lambda text, mode=mode: hybrid.ranked_ids(
                SearchQuery(text=text, mode=mode), limit=DEPTH
            )[0],
            doc_of,
        )
        metrics = evaluate(runs, collection.qrels, exclude=excluded(collection))
        metrics["ms_per_query"] = round((time.perf_counter() - t0) * 1000 / max(len(queries), 1), 2)
        result["modes"][mode] = metrics
    source = excluded(collection)
    if source and MODE_HYBRID in modes:
        result["modes"]["related"] = _related(collection, source, doc_of)
    if sweep and MODE_HYBRID in modes:
        result["fusion_sweep"] = _sweep(queries, collection, doc_of)
        result["settings_sweep"] = _settings_sweep(queries, collection, doc_of)
    return result


def _related(collection: Collection, source: dict[str, str], doc_of: dict[int, str]) -> dict:
    """The related papers of each query's own document, as its page lists
    them (selectors.related_ids), judged as that query's ranking."""
    from dailypapers.search.selectors import related_ids

    pk_of = {doc: pk for pk, doc in doc_of.items()}
    started = time.perf_counter()
    runs = {}
    for qid in collection.judged():
        paper = Paper.objects.get(pk=pk_of[source[qid]])
        runs[qid] = [doc_of[pk] for pk in related_ids(paper=paper, limit=DEPTH) if pk in doc_of]
    metrics = evaluate(runs, collection.qrels, exclude=source)
    metrics["ms_per_query"] = round((time.perf_counter() - started) * 1000 / max(len(runs), 1), 2)
    return metrics


def fusion_variants() -> dict[str, Callable]:
    """Every fusion the site can be set to, by name: each takes (lexical, vector)."""
    variants: dict[str, Callable] = {"rrf60": lambda lex, vec: hybrid.reciprocal_rank([lex, vec])}
    for scale in hybrid.SCALES:
        for weight in SWEEP_WEIGHTS:
            variants[f"{scale}{weight}"] = lambda lex, vec, w=weight, s=scale: hybrid.weighted(
                lex, vec, vector_weight=w, scale=s
            )
    return variants


def _sweep(queries: dict[str, str], collection: Collection, doc_of: dict[int, str]) -> dict:
    """The same candidate lists fused every way, to choose the fusion by measurement."""
    index = hybrid.ready_index()
    backend = lexical_backend()
    lists = {}
    for qid, text in queries.items():
        query = SearchQuery(text=text)
        lexical = backend.search(terms=query.terms, filters=Filters(), limit=DEPTH, hybrid=True)
        vector = index.search(embeddings.embed_query(text), DEPTH) if index else []
        lists[qid] = (lexical, vector)
    out = {}
    for name, fuse in fusion_variants().items():
        runs = {qid: [doc_of[pk] for pk, _ in fuse(*lists[qid])[:DEPTH]] for qid in queries}
        out[name] = evaluate(runs, collection.qrels, exclude=excluded(collection))
    return out


def settings_sweep() -> dict[str, dict]:
    """The whole hybrid search under each fusion the site can be set to, with
    its feedback as configured and without: the name, and the settings it
    runs with (with feedback turned off, one of each)."""
    return {
        f"{fusion}, {'feedback' if docs else 'no feedback'}": {
            "SEARCH_FUSION": fusion,
            "SEARCH_FEEDBACK_DOCS": docs,
        }
        for fusion in (*hybrid.SCALES, "rrf")
        for docs in (settings.SEARCH_FEEDBACK_DOCS, 0)
    }


def _settings_sweep(queries: dict[str, str], collection: Collection, doc_of: dict[int, str]):
    """Each setting of ``settings_sweep`` run through the real search on the
    vectors already stored, so two settings compare paired: embedding the
    collection again moves figures by itself (docs/search-quality.md, "How
    much of a margin is luck"), and ``_sweep`` fuses only the first round's
    lists, before feedback."""
    out = {}
    for name, values in settings_sweep().items():
        with override_settings(**values):
            runs = _runs(
                queries,
                lambda text: hybrid.ranked_ids(SearchQuery(text=text), limit=DEPTH)[0],
                doc_of,
            )
        out[name] = evaluate(runs, collection.qrels, exclude=excluded(collection))
    return out
