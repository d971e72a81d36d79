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


def entries_of(user, paper_ids) -> dict[int, Entry]:
    """The member's entries of these papers, by paper id (one query per page)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {e.paper_id: e for e in Entry.objects.filter(user=user, paper_id__in=list(paper_ids))}


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
        found = [
            pk for pk, _ in search.nearest_papers(vector=weights, limit=settings.FOR_YOU_CANDIDATES)
        ]
        start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
        recent = set(
            Paper.objects.filter(pk__in=found, published_at__gte=start).values_list("pk", flat=True)
        )
        nearest = [pk for pk in found if pk in recent]
    return list(dict.fromkeys([*featured, *nearest]))


def _muted(words: list[str]):
    if not words:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def for_you(*, user, limit: int = 30) -> ForYou:
    """Recent papers ranked by the member's model, each with why; trending
    order before there is a model. Papers saved or marked "not interested"
    are left out, and so is any paper with a negative keyword."""
    taste = Taste.objects.filter(user=user).first()
    follows = follows_of(user)
    weights = None
    if taste and taste.kind and taste.weights:
        weights = np.frombuffer(bytes(taste.weights), dtype=np.float32)
    # Up to the newest featured day: a site whose feed stopped (an offline
    # copy, a paused ingest) still has a "For you".
    latest = feed_state().latest_day or timezone.localdate()
    since = latest - dt.timedelta(days=settings.FOR_YOU_DAYS)
    ids = _candidates(weights, since)
    done = set(
        Entry.objects.filter(user=user)
        .exclude(saved_at__isnull=True, dismissed_at__isnull=True)
        .values_list("paper_id", flat=True)
    )
    ids = [pk for pk in ids if pk not in done]
    papers = Paper.objects.in_bulk(ids)
    muted = _muted([f.value for f in follows if f.kind == Follow.Kind.MUTED])
    if muted:
        ids = [pk for pk in ids if not muted.search(f"{papers[pk].title} {papers[pk].abstract}")]
    authors = [f.value for f in follows if f.kind == Follow.Kind.AUTHOR]
    cats = [f.value for f in follows if f.kind == Follow.Kind.CATEGORY]
    scores = dict.fromkeys(ids, 0.0)
    reasons = dict.fromkeys(ids, "")
    if weights is not None:
        vectors = search.paper_vectors(ids=ids)
        known = [pk for pk in ids if pk in vectors]
        if known:
            matrix = np.stack([vectors[pk] for pk in known])
            for pk, score in zip(known, matrix @ weights, strict=True):
                scores[pk] = float(score)
            _explain(user, known, matrix, reasons)
    else:
        for pk in ids:
            scores[pk] = papers[pk].trending_key or 0.0
    for pk in ids:
        paper = papers[pk]
        named = next((a for a in authors if any(_same(a, n) for n in paper.author_names)), None)
        if named:
            scores[pk] += AUTHOR_BONUS
            reasons[pk] = f"You follow {named}"
        elif category := categories.first_match(paper.category_list, cats):
            scores[pk] += settings.FOR_YOU_CATEGORY_BONUS
            reasons[pk] = reasons[pk] or f"In {category}, which you follow"
    ranked = sorted(ids, key=lambda pk: (-scores[pk], -pk))[:limit]
    return ForYou(
        picks=[Pick(papers[pk], scores[pk], reasons[pk]) for pk in ranked],
        kind=taste.kind if taste else "",
        positives=taste.positives if taste else 0,
        training=bool(taste and (not taste.trained_at or taste.changed_at > taste.trained_at)),
        follows=follows,
    )


def _same(followed: str, name: str) -> bool:
    return names_match(tuple(followed.casefold().split()), name)


def _explain(user, ids: list[int], matrix: np.ndarray, reasons: dict[int, str]) -> None:
    """ "Because you saved X": the member's positive paper nearest to each pick."""
    liked = positive_ids(user)[:200]
    vectors = search.paper_vectors(ids=liked)
    liked = [pk for pk in liked if pk in vectors]
    if not liked:
        return
    nearest = (matrix @ np.stack([vectors[pk] for pk in liked]).T).argmax(axis=1)
    titles = dict(Paper.objects.filter(pk__in=liked).values_list("pk", "title"))
    for pk, row in zip(ids, nearest, strict=True):
        title = titles[liked[row]]
        reasons[pk] = f"Because you liked “{title[:80]}{'…' if len(title) > 80 else ''}”"
