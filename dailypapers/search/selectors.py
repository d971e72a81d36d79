"""Reads of search: a page of results, related papers, how far embedding has got."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count
from django.utils.safestring import SafeString

from dailypapers.papers.identifiers import parse_arxiv_id
from dailypapers.papers.models import Paper
from dailypapers.search import highlight
from dailypapers.search.backends import lexical_backend
from dailypapers.search.backends.filters import authored
from dailypapers.search.hybrid import exact_matches, ranked_ids, ready_index, stored_vectors
from dailypapers.search.query import (
    MAX_QUERY_CHARS,
    MODE_HYBRID,
    MODE_LEXICAL,
    SORT_DATE,
    SORT_UPVOTES,
    Filters,
    SearchQuery,
    name_words,
    names_match,
)


@dataclass
class Hit:
    paper: Paper
    title: SafeString
    snippet: SafeString
    exact: bool = False
    by_author: bool = False  # found because the query is its author's name


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    mode: str = MODE_LEXICAL  # what actually ran ("id" for an arXiv id)
    vectors_ready: bool = False
    ids: list[int] = field(default_factory=list)  # every result, ranked
    # False when more papers match than were ranked: ``total`` is then the
    # papers ranked, and pages say "more than".
    complete: bool = True


def _id_lookup(text: str) -> list[int] | None:
    """For a query that is an arXiv id or URL: exactly the papers it names."""
    return exact_matches(text) if parse_arxiv_id(text.strip()) else None


def paper_search(*, query: SearchQuery, page: int = 1, page_size: int = 20) -> SearchResults:
    results = SearchResults(query=query)
    named = _id_lookup(query.text)
    authored: set[int] = set()
    terms = query.terms
    if named is not None:  # "2510.06217" asks for one paper, not for similar strings
        ids, exact, results.mode = named, set(named), "id"
        results.vectors_ready = ready_index() is not None
    elif query.is_empty:
        results.vectors_ready = ready_index() is not None
        return results
    else:
        ranking = ranked_ids(query)
        ids, exact, authored = ranking.ids, ranking.exact, ranking.authored
        results.mode, results.vectors_ready = ranking.mode, ranking.vectors_ready
        results.complete = ranking.complete
        terms = ranking.terms or terms
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
    results.hits = [
        Hit(
            paper=papers[pk],
            title=highlight.mark(papers[pk].title, terms),
            snippet=highlight.snippet(papers[pk].abstract, terms),
            exact=pk in exact,
            by_author=pk in authored,
        )
        for pk in page_ids
        if pk in papers
    ]
    return results


def related_papers(*, paper: Paper, limit: int = 6) -> list[Paper]:
    papers = Paper.objects.in_bulk(found := related_ids(paper=paper, limit=limit))
    return [papers[pk] for pk in found if pk in papers]


def related_ids(*, paper: Paper, limit: int) -> list[int]:
    """Papers like ``paper``: its title and abstract asked as a hybrid search
    (its stored vector on the meaning side, its most informative words on
    the keyword side), itself left out; by its words alone until it has a
    vector. Measured as queries by document (docs/search-quality.md), where
    this ranked above either side alone and above bm25s on every collection."""
    stored = paper_vector(paper) if ready_index() is not None else None
    query = SearchQuery(
        text=f"{paper.title} {paper.abstract}"[:MAX_QUERY_CHARS],
        mode=MODE_HYBRID if stored is not None else MODE_LEXICAL,
    )
    found = ranked_ids(query, limit=max(limit + 1, settings.SEARCH_CANDIDATES), vector=stored)
    return [pk for pk in found.ids if pk != paper.pk][:limit]


@dataclass
class AuthorPapers:
    papers: list[Paper]  # newest first
    coauthors: list[tuple[str, int]]  # name, papers together; most first


def author_papers(*, name: str, limit: int = 200) -> AuthorPapers:
    """The papers of the author ``name``, newest first, and their co-authors.
    Names are compared as search compares them (case and accents folded,
    words in any order), so the variants the importers unify count as one."""
    words = name_words(name)
    ids = authored(lexical_backend(), words=words, filters=Filters(), limit=limit * 2)
    by_id = Paper.objects.in_bulk(ids)
    papers, coauthors = [], Counter()
    for pk in ids:
        paper = by_id.get(pk)
        names = paper.author_names if paper else []
        if not any(names_match(words, n) for n in names):
            continue  # the words were spread over several authors
        papers.append(paper)
        coauthors.update(n for n in names if not names_match(words, n))
    return AuthorPapers(papers[:limit], coauthors.most_common(12))


def paper_vectors(*, ids) -> dict[int, np.ndarray]:
    """The stored vectors (float32, unit length) of the papers ``ids`` that have one."""
    return stored_vectors(ids)


def nearest_papers(*, vector: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """(paper id, inner product) of the ``limit`` papers whose vectors score
    highest against ``vector`` (any direction: a member's model, a centroid),
    best first; [] before the vector index exists."""
    index = ready_index()
    if index is None:
        return []
    return index.search(np.ascontiguousarray(vector, dtype=np.float32), limit)


def paper_vector(paper: Paper) -> np.ndarray | None:
    return stored_vectors([paper.pk]).get(paper.pk)


def vector_coverage() -> tuple[int, int]:
    """(papers in the vector index, papers stored): search says when these differ."""
    index = ready_index()
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
