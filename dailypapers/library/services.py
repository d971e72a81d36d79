"""Writes of a member's library: saving, notes, read marks, "not interested",
follows, and training the "For you" model when any of them changed.

Training never runs in the request that changed a signal: the services mark
the member's Taste as changed, and the worker's ``for-you`` job retrains the
changed ones (``tastes_retrain``).
"""

from __future__ import annotations

import logging
import re

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from dailypapers import search
from dailypapers.community.models import Vote
from dailypapers.core import categories
from dailypapers.library import recommend
from dailypapers.library.models import Entry, Follow, Taste
from dailypapers.papers.models import Paper
from dailypapers.papers.text import squash

log = logging.getLogger(__name__)

NOTE_MAX_CHARS = 2000
_WORD = re.compile(r"^\w[\w-]{0,39}$")


def _entry(user, paper_id: int) -> Entry:
    if not Paper.objects.filter(pk=paper_id).exists():
        raise ValidationError("This paper does not exist.")
    try:
        with transaction.atomic():
            entry, _ = Entry.objects.get_or_create(user=user, paper_id=paper_id)
    except IntegrityError:  # the same member's concurrent request made it
        entry = Entry.objects.get(user=user, paper_id=paper_id)
    return entry


def entry_set(
    *,
    user,
    paper_id: int,
    saved: bool | None = None,
    read: bool | None = None,
    dismissed: bool | None = None,
    note: str | None = None,
    imported_from: str = "",
) -> Entry:
    """Change what is given of a member's state of a paper; the rest stays.
    Saving and "not interested" exclude each other: each undoes the other."""
    if note is not None:
        note = note.replace("\r\n", "\n").strip()
        if len(note) > NOTE_MAX_CHARS:
            raise ValidationError(
                f"A note can be at most {NOTE_MAX_CHARS:,} characters (this one has {len(note):,})."
            )
    entry = _entry(user, paper_id)
    now = timezone.now()
    signal = False
    if saved is not None and bool(entry.saved_at) != saved:
        entry.saved_at, signal = (now if saved else None), True
        entry.imported_from = imported_from if saved else ""
        if saved:
            entry.dismissed_at = None
    if dismissed is not None and bool(entry.dismissed_at) != dismissed:
        entry.dismissed_at, signal = (now if dismissed else None), True
        if dismissed:
            entry.saved_at = None
    if read is not None and bool(entry.read_at) != read:
        entry.read_at = now if read else None
    if note is not None:
        entry.note = note
    entry.updated_at = now
    entry.save()
    if signal:
        taste_changed(user=user)
    return entry


def follow_set(*, user, kind: str, value: str, on: bool) -> Follow | None:
    """Follow (``on``) or stop following an author, a category or a saved
    search, or add or remove a negative keyword; twice changes nothing."""
    value = _checked(kind, value)
    if not on:
        Follow.objects.filter(user=user, kind=kind, value=value).delete()
        taste_changed(user=user)
        return None
    try:
        with transaction.atomic():
            follow, _ = Follow.objects.get_or_create(user=user, kind=kind, value=value)
    except IntegrityError:
        follow = Follow.objects.get(user=user, kind=kind, value=value)
    taste_changed(user=user)
    return follow


def _checked(kind: str, value: str) -> str:
    value = " ".join((value or "").split())
    if kind not in Follow.Kind.values:
        raise ValidationError(f"Cannot follow a {kind!r}: one of {', '.join(Follow.Kind.values)}.")
    if not value:
        raise ValidationError("Say what to follow.")
    if len(value) > 200:
        raise ValidationError("At most 200 characters.")
    if kind == Follow.Kind.AUTHOR:
        return squash(value)
    if kind == Follow.Kind.CATEGORY:
        if not categories.is_category(value):
            raise ValidationError(f"{value!r} is not an arXiv category.")
        return value
    if kind == Follow.Kind.MUTED:
        if not _WORD.match(value):
            raise ValidationError("A negative keyword is one word.")
        return value.casefold()
    if len(value) > search.MAX_QUERY_CHARS:
        raise ValidationError("That search is too long.")
    return value


def taste_changed(*, user) -> None:
    """The member's signals changed: the worker retrains their model."""
    Taste.objects.update_or_create(user=user, defaults={"changed_at": timezone.now()})


def positive_ids(user) -> list[int]:
    """Papers the member saved (imports included) or upvoted, newest first."""
    saved = Entry.objects.filter(user=user, saved_at__isnull=False).values_list(
        "paper_id", flat=True
    )
    voted = Vote.objects.filter(user=user).values_list("paper_id", flat=True)
    return list(dict.fromkeys([*saved.order_by("-saved_at"), *voted.order_by("-created_at")]))


def _background(exclude: set[int]) -> np.ndarray:
    """Vectors of papers featured recently, drawn at random: what the member
    saw and did not pick stands for the negatives they never said."""
    ids = list(
        Paper.objects.filter(trending_key__isnull=False)
        .order_by("-trending_key")
        .values_list("pk", flat=True)[: recommend.BACKGROUND * 4]
    )
    rng = np.random.default_rng(len(ids))
    pool = [pk for pk in ids if pk not in exclude]
    picked = rng.choice(len(pool), size=min(len(pool), recommend.BACKGROUND), replace=False)
    vectors = search.paper_vectors(ids=[pool[i] for i in picked])
    return np.stack(list(vectors.values())) if vectors else np.zeros((0, 0), dtype=np.float32)


def taste_train(*, user) -> Taste:
    """Train the member's model on their current signals (the worker's job)."""
    from dailypapers.search.vectors import embeddings

    started = timezone.now()
    positives = positive_ids(user)[: settings.FOR_YOU_MAX_SIGNALS]
    dismissed = set(
        Entry.objects.filter(user=user, dismissed_at__isnull=False).values_list(
            "paper_id", flat=True
        )
    )
    found = search.paper_vectors(ids=[*positives, *dismissed])
    pos = [found[pk] for pk in positives if pk in found]
    neg = [found[pk] for pk in dismissed if pk in found]
    background = (
        _background(set(positives) | dismissed) if len(pos) >= recommend.MIN_LINEAR else None
    )
    negatives = np.stack(neg) if neg else np.zeros((0, embeddings.DIM), dtype=np.float32)
    if background is not None and len(background):
        negatives = np.concatenate([negatives, background])
    model = recommend.fit(np.stack(pos) if pos else np.zeros((0, embeddings.DIM)), negatives)
    taste, _ = Taste.objects.get_or_create(user=user)
    taste.model = embeddings.MODEL_NAME
    taste.kind = model.kind if model else ""
    taste.weights = model.weights.tobytes() if model else b""
    taste.positives, taste.negatives = len(pos), len(neg)
    taste.trained_at = started
    taste.save()
    return taste


def tastes_retrain(*, limit: int = 200) -> int:
    """Retrain the models whose signals changed since they were trained
    (at most ``limit``); how many. Upvotes are signals too, written by the
    community, which knows nothing of models: a vote newer than a member's
    model (or a voter without one) makes it due here."""
    voters = Vote.objects.exclude(user__taste__isnull=False).values_list("user_id", flat=True)
    Taste.objects.bulk_create(
        [Taste(user_id=pk) for pk in set(voters[: limit * 10])], ignore_conflicts=True
    )
    newer_vote = Vote.objects.filter(user=OuterRef("user"), created_at__gt=OuterRef("trained_at"))
    due = Taste.objects.filter(
        Q(trained_at__isnull=True) | Q(changed_at__gt=F("trained_at")) | Exists(newer_vote)
    )
    users = list(due.select_related("user").order_by("changed_at")[:limit])
    for taste in users:
        taste_train(user=taste.user)
    return len(users)
