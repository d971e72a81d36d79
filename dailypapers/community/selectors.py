"""Reads of the community, each a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from dailypapers.community.models import Comment, Vote
from dailypapers.community.roles import is_moderator
from dailypapers.papers.models import Listing, Paper


def voted_paper_ids(*, user, paper_ids: Iterable[int]) -> set[int]:
    """Which of ``paper_ids`` the user has upvoted (one query; none when signed out)."""
    ids = list(paper_ids)
    if not (user and user.is_authenticated) or not ids:
        return set()
    return set(Vote.objects.filter(user=user, paper_id__in=ids).values_list("paper_id", flat=True))


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def paper_threads(*, paper: Paper, viewer) -> list[Thread]:
    """Top-level comments with their replies, oldest first, in one query."""
    viewer_id = viewer.pk if viewer and viewer.is_authenticated else None
    return threads_of(
        comments=paper_comments(paper=paper), viewer_id=viewer_id, moderator=is_moderator(viewer)
    )


def paper_comments(*, paper: Paper) -> list[Comment]:
    """Every comment on ``paper`` with its author, oldest first (one query),
    the same for every reader: ``threads_of`` picks what one may see."""
    return list(
        Comment.objects.filter(paper=paper).select_related("author").order_by("created_at", "pk")
    )


def threads_of(*, comments: list[Comment], viewer_id: int | None, moderator: bool) -> list[Thread]:
    """``comments`` (from ``paper_comments``) as threads a reader sees.

    Hidden comments are shown to moderators (to restore them) and to their
    author (who sees that they were hidden); deleted ones keep their place only
    when they have replies. The comments are not changed (pages share them).
    """

    def shown(comment: Comment) -> bool:
        if comment.is_hidden:
            return moderator or comment.author_id == viewer_id
        return True

    threads: dict[int, Thread] = {}
    for comment in comments:
        if comment.parent_id is None and shown(comment):
            threads[comment.pk] = Thread(comment)
    for comment in comments:
        if comment.parent_id in threads and shown(comment) and not comment.is_deleted:
            threads[comment.parent_id].replies.append(comment)
    return [t for t in threads.values() if not t.comment.is_deleted or t.replies]


def profile(*, username: str):
    """The user, their latest submissions and upvoted papers; None if unknown."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        return None, [], []
    submissions = list(
        Listing.objects.filter(submitted_by=user, status=Listing.Status.FEATURED, is_hidden=False)
        .select_related("paper")
        .order_by("-submitted_at")[:50]
    )
    upvoted = list(Paper.objects.filter(votes__user=user).order_by("-votes__created_at")[:50])
    return user, submissions, upvoted
