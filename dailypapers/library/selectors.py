"""Reads of a member's library and their "For you" feed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils import timezone

from dailypapers import search
from dailypapers.core import categories
from dailypapers.library.models import Entry, Follow, Taste
from dailypapers.library.services import positive_ids
from dailypapers.papers.models import Listing, Paper
from dailypapers.papers.selectors import feed_state
from dailypapers.search.query import names_match

# Above any model score (cosines): a followed author's new paper comes first.
AUTHOR_BONUS = 2.0
# Followed searches asked per For you page (each is a search).
MAX_SEARCHES = 5
# Papers the vector index is asked for, by the member's model (before those
# older than the window are left out).
NEAREST = 500


@dataclass
class Pick:
    paper: Paper
    score: float
    reason: str


@dataclass
class ForYou:
    picks: list[Pick]
    # "linear" (learned), "centroid" (few signals), "" (none yet: trending order)
    kind: str
    positives: int
    training: bool  # signals changed since the model was trained
    follows: list[Follow] = field(default_factory=list)


def is_following(*, user, kind: str, value: str) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, kind=kind, value=" ".join(value.split())).exists()


def follows_of(user) -> list[Follow]:
    return list(Follow.objects.filter(user=user).order_by("kind", "value"))


def saved_paper_ids(*, user, paper_ids) -> set[int]:
    """Which of ``paper_ids`` the member saved (one query; none when signed out)."""
    ids = list(paper_ids)
    if not (user and user.is_authenticated) or not ids:
        return set()
    return set(
        Entry.objects.filter(user=user, paper_id__in=ids, saved_at__isnull=False).values_list(
            "paper_id", flat=True
        )
    )


def saved_entries(*, user):
    """The member's saved papers, newest save first."""
    return (
        Entry.objects.filter(user=user, saved_at__isnull=False)
        .select_related("paper")
        .order_by("-saved_at", "-pk")
    )


def _candidates(weights: np.ndarray | None, since: dt.date) -> list[int]:
    """Papers featured since ``since``, and the vector index's best for the
    member's model among papers published since then."""
    featured = list(
        Listing.objects.filter(day__gte=since, status=Listing.Status.FEATURED, is_hidden=False)
        .order_by("-day")
        .values_list("paper_id", flat=True)[: settings.FOR_YOU_CANDIDATES]
    )
    nearest: list[int] = []
    if weights is not None:
        found = [pk for pk, _ in search.nearest_papers(vector=weights, limit=NEAREST)]
        start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
        recent = set(
            Paper.objects.filter(pk__in=found, published_at__gte=start).values_list("pk", flat=True)
        )
        nearest = [pk for pk in found if pk in recent]
    return list(dict.fromkeys([*featured, *nearest]))


def _best(ids: list[int], vectors: dict[int, np.ndarray], weights: np.ndarray, count: int):
    """The ``count`` of ``ids`` the model scores highest (those without a vector last)."""
    known = [pk for pk in ids if pk in vectors]
    if len(known) <= count:
        return known + [pk for pk in ids if pk not in vectors][: count - len(known)]
    scores = np.stack([vectors[pk] for pk in known]) @ weights
    return [known[i] for i in np.argpartition(-scores, count)[:count]]


def _muted(words: list[str]):
    if not words:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


@dataclass
class Signals:
    """What ranks papers for one member, read in three queries."""

    taste: Taste | None
    weights: np.ndarray | None  # the model; None before it is trained
    follows: list[Follow]
    done: set[int]  # saved or "not interested": not offered again
    muted: re.Pattern | None  # negative keywords

    @property
    def authors(self) -> list[str]:
        return [f.value for f in self.follows if f.kind == Follow.Kind.AUTHOR]

    @property
    def categories(self) -> list[str]:
        return [f.value for f in self.follows if f.kind == Follow.Kind.CATEGORY]

    @property
    def searches(self) -> list[str]:
        return [f.value for f in self.follows if f.kind == Follow.Kind.SEARCH][:MAX_SEARCHES]

    def wanted(self, paper: Paper, text: str) -> bool:
        return paper.pk not in self.done and not (self.muted and self.muted.search(text))


def signals_of(user) -> Signals:
    taste = Taste.objects.filter(user=user).first()
    follows = follows_of(user)
    weights = None
    if taste and taste.kind and taste.weights:
        weights = np.frombuffer(bytes(taste.weights), dtype=np.float32)
    done = set(
        Entry.objects.filter(user=user)
        .exclude(saved_at__isnull=True, dismissed_at__isnull=True)
        .values_list("paper_id", flat=True)
    )
    muted = _muted([f.value for f in follows if f.kind == Follow.Kind.MUTED])
    return Signals(taste, weights, follows, done, muted)


def _followed_searches(signals: Signals, since: dt.date) -> dict[int, str]:
    """Papers published since ``since`` among the best results of each
    followed search: paper id -> the search."""
    found: dict[int, str] = {}
    for text in signals.searches:
        query = search.SearchQuery(text=text, filters=search.Filters(date_from=since))
        for hit in search.paper_search(query=query, page=1, page_size=20).hits:
            found.setdefault(hit.paper.pk, text)
    return found


def rank(
    signals: Signals,
    papers: list[Paper],
    vectors: dict[int, np.ndarray],
    *,
    searched: dict[int, str] | None = None,
) -> list[Pick]:
    """``papers`` (none of them saved or "not interested") best first for the
    member: their model's score (trending order without one), a followed
    author's papers first, those of a followed search (``searched``: id ->
    search) or category nudged. Reasons name the
    follow; the model's picks get theirs from ``explain``."""
    scores, reasons = {}, {}
    known = [p for p in papers if p.pk in vectors]
    if signals.weights is not None and known:
        matrix = np.stack([vectors[p.pk] for p in known])
        scores = {p.pk: float(s) for p, s in zip(known, matrix @ signals.weights, strict=True)}
    elif signals.weights is None:
        scores = {p.pk: p.trending_key or 0.0 for p in papers}
    authors, cats = signals.authors, signals.categories
    for paper in papers:
        score = scores.get(paper.pk, -1.0)
        named = next((a for a in authors if any(_same(a, n) for n in paper.author_names)), None)
        if named:
            score += AUTHOR_BONUS
            reasons[paper.pk] = f"You follow {named}"
        elif text := (searched or {}).get(paper.pk):
            score += settings.FOR_YOU_CATEGORY_BONUS
            reasons[paper.pk] = f"Matches your search “{text}”"
        elif category := categories.first_match(paper.category_list, cats):
            score += settings.FOR_YOU_CATEGORY_BONUS
            reasons[paper.pk] = f"In {category}, which you follow"
        scores[paper.pk] = score
    ranked = sorted(papers, key=lambda p: (-scores[p.pk], -p.pk))
    return [Pick(p, scores[p.pk], reasons.get(p.pk, "")) for p in ranked]


def for_you(*, user, limit: int = 30) -> ForYou:
    """Recent papers ranked by the member's model, each with why; trending
    order before there is a model. Papers saved or marked "not interested"
    are left out, and so is any paper with a negative keyword."""
    signals = signals_of(user)
    # Up to the newest featured day: a site whose feed stopped (an offline
    # copy, a paused ingest) still has a "For you".
    latest = feed_state().latest_day or timezone.localdate()
    since = latest - dt.timedelta(days=settings.FOR_YOU_DAYS)
    ids = _candidates(signals.weights, since)
    searched = _followed_searches(signals, since)
    ids = [pk for pk in dict.fromkeys([*ids, *searched]) if pk not in signals.done]
    vectors = search.paper_vectors(ids=ids) if signals.weights is not None else {}
    if signals.weights is not None and not (signals.authors or signals.categories or searched):
        # The model alone orders them: its best few are all that is read.
        ids = _best(ids, vectors, signals.weights, limit * 4)
    # Ranked on what ranking reads (a paper's text is read for the best only).
    light = Paper.objects.only("pk", "authors", "categories", "trending_key").in_bulk(ids)
    ranked = rank(signals, [light[pk] for pk in ids if pk in light], vectors, searched=searched)
    picks: list[Pick] = []
    for start in range(0, len(ranked), limit * 2):
        part = ranked[start : start + limit * 2]
        full = Paper.objects.in_bulk([p.paper.pk for p in part])
        for pick in part:
            paper = full.get(pick.paper.pk)
            if paper and not (
                signals.muted and signals.muted.search(f"{paper.title} {paper.abstract}")
            ):
                pick.paper = paper
                picks.append(pick)
        if len(picks) >= limit:
            break
    picks = picks[:limit]
    explain(user, [p for p in picks if not p.reason], vectors)
    taste = signals.taste
    return ForYou(
        picks=picks,
        kind=taste.kind if taste else "",
        positives=taste.positives if taste else 0,
        training=bool(taste and (not taste.trained_at or taste.changed_at > taste.trained_at)),
        follows=signals.follows,
    )


def _same(followed: str, name: str) -> bool:
    return names_match(tuple(followed.casefold().split()), name)


def explain(user, picks: list[Pick], vectors: dict[int, np.ndarray]) -> None:
    """ "Because you liked X": the member's saved or upvoted paper nearest to each pick."""
    picks = [p for p in picks if p.paper.pk in vectors]
    liked = positive_ids(user)[:200]
    stored = search.paper_vectors(ids=liked)
    liked = [pk for pk in liked if pk in stored]
    if not picks or not liked:
        return
    matrix = np.stack([vectors[p.paper.pk] for p in picks])
    nearest = (matrix @ np.stack([stored[pk] for pk in liked]).T).argmax(axis=1)
    titles = dict(Paper.objects.filter(pk__in=liked).values_list("pk", "title"))
    for pick, row in zip(picks, nearest, strict=True):
        title = titles[liked[row]]
        pick.reason = f"Because you liked “{title[:80]}{'…' if len(title) > 80 else ''}”"
