"""Trending: engagement that halves in value every half-life after featuring.

A paper's trending score at time ``now`` is

    score = (1 + upvotes + w * comments) * 2 ** (-(now - featured_at) / H)

with ``featured_at`` the moment it was first featured on the feed, ``w`` the
weight of a comment (TRENDING_COMMENT_WEIGHT, default 2) and ``H`` the half-life
(TRENDING_HALF_LIFE_HOURS, default 36). A paper featured a half-life later
needs half the engagement to rank level with it.

Ordering by the score is ordering by its base-2 logarithm, and ``now`` adds
the same amount to every paper's logarithm. Dropping it leaves

    key = log2(1 + upvotes + w * comments) + featured_at / H

which does not change as time passes: it changes only when a vote, a comment
or a featuring does, and the services doing those refresh it. Stored and
indexed (Paper.trending_key), the trending page reads its first rows from
the index, the same at 1,000 papers or 1,000,000. The about page
(/about/ranking) shows the formula to readers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Min

from dailypapers.papers.models import Listing, Paper

_CHUNK = 2000


def _half_life_seconds() -> float:
    return settings.TRENDING_HALF_LIFE_HOURS * 3600.0


def engagement(*, upvotes: int, comments: int) -> float:
    return 1.0 + upvotes + settings.TRENDING_COMMENT_WEIGHT * comments


def trending_key(*, upvotes: int, comments: int, featured_at: dt.datetime) -> float:
    return math.log2(engagement(upvotes=upvotes, comments=comments)) + (
        featured_at.timestamp() / _half_life_seconds()
    )


def trending_score(*, key: float, now: dt.datetime) -> float:
    """The score of the module docstring, from a stored key."""
    return 2.0 ** (key - now.timestamp() / _half_life_seconds())


def trending_refresh(*, paper_ids: Iterable[int]) -> int:
    """Recompute the key of these papers; returns how many changed."""
    ids = sorted(set(paper_ids))
    changed = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        first_featured = dict(
            Listing.objects.filter(
                paper_id__in=chunk, status=Listing.Status.FEATURED, is_hidden=False
            )
            .values("paper_id")
            .annotate(at=Min("submitted_at"))
            .values_list("paper_id", "at")
        )
        for paper in Paper.objects.filter(pk__in=chunk).only(
            "pk", "upvote_count", "comment_count", "trending_key"
        ):
            at = first_featured.get(paper.pk)
            key = (
                None
                if at is None
                else trending_key(
                    upvotes=paper.upvote_count, comments=paper.comment_count, featured_at=at
                )
            )
            if key != paper.trending_key:
                paper.trending_key = key
                changed.append(paper)
    Paper.objects.bulk_update(changed, ["trending_key"], batch_size=500)
    return len(changed)


def trending_refresh_all() -> int:
    """Every featured paper, and any paper still holding a key (after a settings change)."""
    featured = Listing.objects.filter(status=Listing.Status.FEATURED).values_list(
        "paper_id", flat=True
    )
    keyed = Paper.objects.filter(trending_key__isnull=False).values_list("pk", flat=True)
    return trending_refresh(paper_ids={*featured, *keyed})
