"""Ranking a query: keyword and vector candidates, fused, exact matches pinned first.

Keyword candidates come from the database's full-text index (backends/),
meaning candidates from the vector index (vectors/); the two ranked lists
are fused by one of the methods compared on the judged collections
(docs/search-quality.md): a convex combination of scores normalised by
each list's distribution ("distribution", the default: mean +- 3 standard
deviations, as Qdrant's distribution-based score fusion) or by its minimum
and maximum ("weighted"), or reciprocal-rank fusion (Cormack et al. 2009;
k=60, Hugging Face's choice). Papers the query names outright (an arXiv id,
an exact title) come before everything.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import NamedTuple

import numpy as np
from django.conf import settings

from dailypapers.papers.identifiers import parse_arxiv_id, title_key
from dailypapers.papers.models import Paper
from dailypapers.search.backends import lexical_backend
from dailypapers.search.backends.filters import allowed_ids, newest_passing
from dailypapers.search.backends.filters import authored as authored_papers
from dailypapers.search.models import Embedding
from dailypapers.search.query import (
    MODE_HYBRID,
    MODE_LEXICAL,
    MODE_NEWEST,
    MODE_VECTOR,
    SearchQuery,
    name_words,
    names_match,
)
from dailypapers.search.variants import search_terms
from dailypapers.search.vectors import embeddings
from dailypapers.search.vectors import index as vector_index

log = logging.getLogger(__name__)

RRF_K = 60
# Distribution-based fusion's scale: a list's mean +- this many standard
# deviations (Qdrant's choice; not tuned here).
DISTRIBUTION_SPREAD = 3
# Longer than any arXiv title (they stay under 300 characters).
MAX_TITLE_CHARS = 400
Ranked = Sequence[tuple[int, float]]  # (id, score), best first
# How many of an author's papers a name query reads (newest first).
AUTHOR_DEPTH = 1000
# A query of two to four words might be a name: "Yann LeCun", "kaiming he".
_NAME = re.compile(r"^\s*\w[\w'’.-]*(\s+\w[\w'’.-]*){1,3}\s*$")


class Ranking(NamedTuple):
    ids: list[int]  # best first
    mode: str  # what ran: lexical when there are no vectors yet
    vectors_ready: bool
    exact: set[int]  # named outright: an arXiv id, a title
    complete: bool  # False when a list was cut at the candidate depth: more match
    authored: set[int] = set()  # by the author the query names
    # The words asked for, the other forms of typed words included (variants.py).
    terms: list[str] = []


def reciprocal_rank(lists: Sequence[Ranked], *, k: int = RRF_K) -> list[tuple[int, float]]:
    scores: dict[int, float] = {}
    for ranked in lists:
        for rank, (doc, _) in enumerate(ranked, start=1):
            scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def _min_max(ranked: Ranked) -> dict[int, float]:
    if not ranked:
        return {}
    values = [score for _, score in ranked]
    low, high = min(values), max(values)
    span = high - low
    return {doc: (score - low) / span if span else 1.0 for doc, score in ranked}


def _by_distribution(ranked: Ranked) -> dict[int, float]:
    """Scores on the scale of their list's mean +- DISTRIBUTION_SPREAD
    standard deviations, 0 to 1 (not clipped). Min-max lets one outlier set
    the scale: a query's own paper found by its words, or one paper holding
    every rare word, pushes every other keyword score towards 0, and the
    vector side decides alone. A list of one, or of equal scores, has
    nothing to compare: each is that list's best, as under min-max."""
    if not ranked:
        return {}
    values = np.array([score for _, score in ranked], dtype=np.float64)
    mean, deviation = float(values.mean()), float(values.std())
    if not deviation:
        return {doc: 1.0 for doc, _ in ranked}
    low, span = mean - DISTRIBUTION_SPREAD * deviation, 2 * DISTRIBUTION_SPREAD * deviation
    return {doc: (score - low) / span for doc, score in ranked}


# How each weighted fusion puts a list's scores on one scale, by SEARCH_FUSION.
SCALES = {"distribution": _by_distribution, "weighted": _min_max}


def weighted(
    lexical: Ranked, vector: Ranked, *, vector_weight: float, scale: str = "distribution"
) -> list[tuple[int, float]]:
    """alpha * vector + (1 - alpha) * lexical, each list normalised by
    ``scale`` (a name in SCALES); a paper absent from a list counts 0 there:
    its list's minimum under min-max, 3 deviations below its mean under
    "distribution"."""
    normalised = SCALES[scale]
    lex, vec = normalised(lexical), normalised(vector)
    docs = lex.keys() | vec.keys()
    fused = {
        doc: vector_weight * vec.get(doc, 0.0) + (1 - vector_weight) * lex.get(doc, 0.0)
        for doc in docs
    }
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def ready_index() -> vector_index.VectorIndex | None:
    """The vector index, or None: turned off, not built yet, or unreadable (a
    damaged file must not break search, which then runs on keywords)."""
    if not settings.SEARCH_EMBEDDINGS:
        return None
    try:
        return vector_index.current()
    except Exception:
        log.exception("vector index unreadable; searching by keywords")
        return None


def stored_vectors(ids) -> dict[int, np.ndarray]:
    """The vectors (float32, unit length) of the papers ``ids`` that have one:
    from the vector index this process holds, and from the database for
    papers embedded since it was built (or all, before there is one). A
    paper whose text changed keeps its old vector here until the worker's
    next round rebuilds the index, as it does in search."""
    ids = list(ids)
    index = ready_index()
    found = index.vectors(ids) if index is not None else {}
    if missing := [pk for pk in ids if pk not in found]:
        found.update(Embedding.objects.vectors(missing, model=embeddings.MODEL_NAME))
    return found


def exact_matches(text: str) -> list[int]:
    """Papers the query names outright: an arXiv id or URL, or the exact title."""
    text = text.strip()
    parsed = parse_arxiv_id(text)
    if parsed:
        return list(Paper.objects.filter(arxiv_id=parsed.id).values_list("pk", flat=True))
    # A pasted abstract (or a paper's text asking for related papers) is no title.
    if len(text) > MAX_TITLE_CHARS:
        return []
    key = title_key(text)
    if len(key) < 12:  # "deep learning" is a topic, not a title
        return []
    return list(
        Paper.objects.filter(title_key=key)
        .order_by("-upvote_count", "pk")
        .values_list("pk", flat=True)[:5]
    )


def _nearest(index, query: SearchQuery, embed, limit: int) -> list[tuple[int, float]]:
    """Embed the query (``embed(text)``) and search the vector index: no
    database, so it can run in another thread while the keyword search runs
    in this one."""
    vector = embed(query.text)
    # The keyword side keeps a core busy meanwhile: a second faiss thread
    # would fight it for that core.
    threads = 1 if query.mode == MODE_HYBRID else None
    # A filter may reject most neighbours: look further when one is set.
    found = limit * (10 if query.filters.active else 1)
    return index.search(vector, found, threads=threads)


def _allowed(found: list[tuple[int, float]], query: SearchQuery, limit: int):
    if query.filters.active and found:
        allowed = allowed_ids([pk for pk, _ in found], query.filters)
        found = [hit for hit in found if hit[0] in allowed]
    return found[:limit]


@cache
def _sides() -> ThreadPoolExecutor:
    """Two threads per process, shared by requests, for the two sides of a
    hybrid search: the model, faiss and SQLite release the GIL, so a query
    costs its slower side instead of the sum."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="search-vector")


def above_floor(found: Ranked, *, floor: float, keep: set[int] = frozenset()) -> Ranked:
    """Meaning hits as close to the query as real matches are. Every text has
    nearest neighbours, however unrelated: below the floor (calibrated in
    docs/search-quality.md) a neighbour is shown only when its words matched."""
    return [hit for hit in found if hit[1] >= floor or hit[0] in keep]


def by_author(query: SearchQuery) -> list[int] | None:
    """The papers of the author the query names, newest first; None when it
    names nobody. ``author:`` asks outright; a query of two to four words
    that is all of one author's name ("Yann LeCun") asks too, when one of its
    words is rare enough to be a name rather than a topic."""
    words = query.filters.author
    explicit = bool(words)
    if not explicit:
        if not _NAME.match(query.text):
            return None
        words = name_words(query.text)
    found = authored_papers(
        lexical_backend(),
        words=words,
        filters=query.filters,
        limit=AUTHOR_DEPTH,
        rare_only=not explicit,
    )
    if not found:
        return [] if explicit else None
    # Every word in one name: "Yann Smith" and "Bob LeCun" are not Yann LeCun.
    authors = dict(Paper.objects.filter(pk__in=found).values_list("pk", "authors"))
    return [
        pk
        for pk in found
        if any(names_match(words, a.get("name", "")) for a in authors.get(pk) or [])
    ] or ([] if explicit else None)


def _fuse(lists: list[Ranked]) -> list[int]:
    if len(lists) == 1:
        return [pk for pk, _ in lists[0]]
    if settings.SEARCH_FUSION == "rrf":
        return [pk for pk, _ in reciprocal_rank(lists)]
    fused = weighted(
        lists[0],
        lists[1],
        vector_weight=settings.SEARCH_VECTOR_WEIGHT,
        scale=settings.SEARCH_FUSION,
    )
    return [pk for pk, _ in fused]


def feedback_query(vector: np.ndarray, ranked: list[int]) -> np.ndarray | None:
    """The query's vector moved towards its best results' (Rocchio's pseudo
    relevance feedback, on the vectors): what the top papers of the fused
    ranking share says more about the need than a few words do. None with
    no results or feedback turned off."""
    count = settings.SEARCH_FEEDBACK_DOCS
    stored = stored_vectors(ranked[:count]) if count else {}
    found = list(stored.values())
    if not found:
        return None
    share = settings.SEARCH_FEEDBACK_WEIGHT
    moved = (1 - share) * vector + share * np.mean(found, axis=0)
    return moved / np.linalg.norm(moved)


def ranked_ids(
    query: SearchQuery, *, limit: int | None = None, vector: np.ndarray | None = None
) -> Ranking:
    """Keyword and meaning candidates fused, exact matches and the named
    author's papers first. A hybrid search then asks by meaning again with
    feedback from its first ranking (``feedback_query``). ``vector``: the
    query's vector when it is known (a stored paper's), instead of embedding
    its text."""
    limit = limit or settings.SEARCH_CANDIDATES
    index = ready_index() if query.mode != MODE_LEXICAL else None
    ready = index is not None and index.meta.count > 0
    mode = query.mode if ready else MODE_LEXICAL
    if not query.terms and not query.filters.author:
        # Filters alone ("cs.CL", a date range): the newest papers that pass
        # them; no filter, no words: nothing was asked.
        newest = newest_passing(query.filters, limit=limit) if query.filters.active else []
        return Ranking(newest, MODE_NEWEST, ready, set(), len(newest) < limit)
    authored = by_author(query)
    if query.filters.author and not query.terms:
        return Ranking(authored or [], MODE_LEXICAL, ready, set(), len(authored) < AUTHOR_DEPTH)
    # Only the author's papers count: look deeper, as for any filter.
    depth = limit * (10 if query.filters.author else 1)
    lists: list[Ranked] = []
    embed = embeddings.embed_query if vector is None else (lambda _: vector)
    nearest = (
        _sides().submit(_nearest, index, query, embed, depth) if mode != MODE_LEXICAL else None
    )
    terms = search_terms(query)
    if mode in (MODE_HYBRID, MODE_LEXICAL):
        lists.append(
            lexical_backend().search(
                terms=terms, filters=query.filters, limit=depth, hybrid=mode == MODE_HYBRID
            )
        )
    words_matched = {pk for pk, _ in lists[0]} if lists else set()
    floor = settings.SEARCH_VECTOR_FLOOR
    if nearest is not None:
        found = _allowed(nearest.result(), query, depth)
        if mode == MODE_VECTOR:
            # Asked to rank by meaning alone: all of it, or nothing when even
            # the nearest paper is below the floor (nonsense).
            lists.append(found if found and found[0][1] >= floor else [])
        else:
            lists.append(above_floor(found, floor=floor, keep=words_matched))
    ranked = _fuse(lists)
    if mode == MODE_HYBRID and ranked:
        moved = feedback_query(embed(query.text), ranked)
        if moved is not None:
            found = _allowed(_nearest(index, query, lambda _: moved, depth), query, depth)
            lists[1] = above_floor(found, floor=floor, keep=words_matched)
            ranked = _fuse(lists)
    complete = all(len(found) < depth for found in lists)
    if query.filters.author:
        allowed = set(authored or [])
        ids = [pk for pk in ranked if pk in allowed]
        return Ranking(ids, mode, ready, set(), complete, terms=terms)
    exact = exact_matches(query.text)
    named = (authored or [])[: limit // 2]
    ids = list(dict.fromkeys([*exact, *named, *ranked]))
    return Ranking(ids, mode, ready, set(exact), complete, set(named) - set(exact), terms)
