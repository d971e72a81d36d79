"""Search and related papers: the facade pages, the API and the evaluator call.

Keyword candidates come from the database's full-text index, meaning
candidates from the vector index; the two ranked lists are fused, exact
arXiv-id and title matches are pinned above everything, and only then are
filters and the chosen sort applied. Without vectors (not built yet, or the
model unavailable) search is keyword-only and says so.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count
from django.utils.safestring import SafeString

from dailypapers.papers.identifiers import parse_arxiv_id, title_key
from dailypapers.papers.models import Paper
from dailypapers.search import embeddings, fusion, highlight, vectors
from dailypapers.search.backends import lexical_backend
from dailypapers.search.backends.filters import allowed_ids
from dailypapers.search.models import Embedding
from dailypapers.search.query import (
    MODE_HYBRID,
    MODE_LEXICAL,
    SORT_DATE,
    SORT_UPVOTES,
    Filters,
    SearchQuery,
)

log = logging.getLogger(__name__)


@dataclass
class Hit:
    paper: Paper
    title: SafeString
    snippet: SafeString
    exact: bool = False


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    mode: str = MODE_LEXICAL  # what actually ran
    vectors_ready: bool = False
    ids: list[int] = field(default_factory=list)  # every result, ranked


def ann_effort() -> dict[str, int]:
    """How hard the approximate index searches (settings), for VectorIndex.search."""
    return {"ef": settings.SEARCH_HNSW_EF, "nprobe": settings.SEARCH_IVF_NPROBE}


def vector_index() -> vectors.VectorIndex | None:
    if not settings.SEARCH_EMBEDDINGS:
        return None
    try:
        return vectors.cache.get(settings.SEARCH_INDEX_DIR, embeddings.MODEL_NAME)
    except Exception:  # a corrupt or half-written file must not break search
        log.exception("vector index unreadable; searching by keywords")
        return None


def exact_matches(text: str) -> list[int]:
    """Papers the query names outright: an arXiv id or URL, or the exact title."""
    text = text.strip()
    parsed = parse_arxiv_id(text)
    if parsed:
        return list(Paper.objects.filter(arxiv_id=parsed.id).values_list("pk", flat=True))
    key = title_key(text)
    if len(key) < 12:  # "deep learning" is a topic, not a title
        return []
    return list(
        Paper.objects.filter(title_key=key)
        .order_by("-upvote_count", "pk")
        .values_list("pk", flat=True)[:5]
    )


def _nearest(index, query: SearchQuery, limit: int) -> list[tuple[int, float]]:
    """Embed the query and search the vector index: no database, so it can
    run in another thread while the keyword search runs in this one."""
    vector = embeddings.embed_query(query.text)
    # In a hybrid search the keyword side runs meanwhile and keeps a core busy
    # (SQLite in this process, or PostgreSQL's server process): a second
    # faiss thread would fight it for that core. 1M papers on PostgreSQL,
    # three rounds of the benchmark's 200 queries in one process, hybrid p50
    # / p95: 17.1 / 38.9 ms on two threads, 12.4 / 29.8 on one.
    threads = 1 if query.mode == MODE_HYBRID else None
    # A filter may reject most neighbours: look further when one is set.
    found = limit * (10 if query.filters.active else 1)
    return index.search(vector, found, **ann_effort(), threads=threads)


def _allowed(found: list[tuple[int, float]], query: SearchQuery, limit: int):
    if query.filters.active and found:
        allowed = allowed_ids([pk for pk, _ in found], query.filters)
        found = [hit for hit in found if hit[0] in allowed]
    return found[:limit]


# Hybrid search runs its two sides at once: the model and faiss release the
# GIL, as SQLite does, so a query costs the slower side instead of the sum
# (docs/benchmarks.md, "Search"). Two threads per process, shared by requests.
_sides = ThreadPoolExecutor(max_workers=2, thread_name_prefix="search-vector")


def ranked_ids(
    query: SearchQuery, *, limit: int | None = None
) -> tuple[list[int], str, bool, set[int]]:
    """(paper ids best first, mode used, vectors ready, ids pinned as exact matches)."""
    limit = limit or settings.SEARCH_CANDIDATES
    index = vector_index() if query.mode != MODE_LEXICAL else None
    ready = index is not None and index.meta.count > 0
    mode = query.mode if ready else MODE_LEXICAL
    lists = []
    nearest = _sides.submit(_nearest, index, query, limit) if mode != MODE_LEXICAL else None
    if mode in (MODE_HYBRID, MODE_LEXICAL):
        lists.append(
            lexical_backend().search(
                terms=query.terms,
                filters=query.filters,
                limit=limit,
                hybrid=mode == MODE_HYBRID,
            )
        )
    if nearest is not None:
        lists.append(_allowed(nearest.result(), query, limit))
    if len(lists) == 1:
        ranked = [pk for pk, _ in lists[0]]
    elif settings.SEARCH_FUSION == "weighted":
        ranked = [
            pk
            for pk, _ in fusion.weighted(
                lists[0], lists[1], vector_weight=settings.SEARCH_VECTOR_WEIGHT
            )
        ]
    else:
        ranked = [pk for pk, _ in fusion.reciprocal_rank(lists)]
    exact = exact_matches(query.text)
    ordered = list(dict.fromkeys([*exact, *ranked]))
    return ordered, mode, ready, set(exact)


def _id_lookup(text: str) -> list[int] | None:
    """For a query that is an arXiv id or URL: exactly the papers it names."""
    return exact_matches(text) if parse_arxiv_id(text.strip()) else None


def paper_search(*, query: SearchQuery, page: int = 1, page_size: int = 20) -> SearchResults:
    results = SearchResults(query=query)
    named = _id_lookup(query.text)
    if named is not None:  # "2510.06217" asks for one paper, not for similar strings
        ids, exact = named, set(named)
        results.vectors_ready = vector_index() is not None
    elif query.is_empty:
        results.vectors_ready = vector_index() is not None
        return results
    else:
        ids, results.mode, results.vectors_ready, exact = ranked_ids(query)
    if query.sort in (SORT_DATE, SORT_UPVOTES):
        field_name = "-published_at" if query.sort == SORT_DATE else "-upvote_count"
        order = list(
            Paper.objects.filter(pk__in=ids).order_by(field_name, "pk").values_list("pk", flat=True)
        )
        ids = [pk for pk in ids if pk in exact] + [pk for pk in order if pk not in exact]
    results.ids = ids
    results.total = len(ids)
    start = max(page - 1, 0) * page_size
    page_ids = ids[start : start + page_size]
    papers = Paper.objects.in_bulk(page_ids)
    terms = query.terms
    results.hits = [
        Hit(
            paper=papers[pk],
            title=highlight.mark(papers[pk].title, terms),
            snippet=highlight.snippet(papers[pk].abstract, terms),
            exact=pk in exact,
        )
        for pk in page_ids
        if pk in papers
    ]
    return results


def related_papers(*, paper: Paper, limit: int = 6) -> list[Paper]:
    """Nearest neighbours by vector; by the title's words when there are no vectors."""
    index = vector_index()
    found: list[int] = []
    if index is not None:
        stored = paper_vector(paper)
        if stored is not None:
            found = [
                pk for pk, _ in index.search(stored, limit + 1, **ann_effort()) if pk != paper.pk
            ]
    if not found:
        terms = SearchQuery(text=paper.title).terms
        found = [
            pk
            for pk, _ in lexical_backend().search(terms=terms, filters=Filters(), limit=limit + 1)
            if pk != paper.pk
        ]
    papers = Paper.objects.in_bulk(found[:limit])
    return [papers[pk] for pk in found[:limit] if pk in papers]


def paper_vector(paper: Paper) -> np.ndarray | None:
    row = (
        Embedding.objects.filter(paper_id=paper.pk, model=embeddings.MODEL_NAME)
        .values_list("vector", flat=True)
        .first()
    )
    return None if row is None else np.frombuffer(bytes(row), dtype="<f2").astype(np.float32)


def vector_coverage() -> tuple[int, int]:
    """(papers in the vector index, papers stored): search says when these differ."""
    index = vector_index()
    return (index.meta.count if index else 0), Paper.objects.count()


def category_facets(*, ids: list[int], limit: int = 12) -> list[tuple[str, int]]:
    """Primary categories among the results, most frequent first."""
    rows = (
        Paper.objects.filter(pk__in=ids)
        .exclude(primary_category="")
        .values_list("primary_category")
        .annotate(n=Count("pk"))
        .order_by("-n", "primary_category")[:limit]
    )
    return list(rows)
