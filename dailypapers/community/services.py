"""Writes of the community: votes, comments, reports, moderation.

Every change to a paper's votes or comments locks the paper's row first
(SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions already
serialise writers), then recounts from the rows that exist. The count a card
shows is therefore exact under any concurrency, not an increment that a race
could skip.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dailypapers.community import markdown
from dailypapers.community.models import Comment, CommentReport, Vote
from dailypapers.community.roles import is_moderator
from dailypapers.core import page_version
from dailypapers.papers.models import Paper
from dailypapers.papers.trending import trending_refresh


@dataclass(frozen=True)
class VoteState:
    voted: bool
    count: int


def _locked_paper(paper_id: int) -> Paper:
    try:
        return (
            Paper.objects.select_for_update()
            .only("pk", "upvotes_imported", "comments_imported")
            .get(pk=paper_id)
        )
    except Paper.DoesNotExist:
        raise ValidationError("This paper does not exist.") from None


def _recount(paper: Paper, *, votes: bool = False, comments: bool = False) -> Paper:
    if votes:
        paper.upvote_count = paper.upvotes_imported + Vote.objects.filter(paper=paper).count()
    if comments:
        visible = Comment.objects.filter(paper=paper, is_deleted=False, is_hidden=False)
        paper.comment_count = paper.comments_imported + visible.count()
    fields = [name for name, on in (("upvote_count", votes), ("comment_count", comments)) if on]
    Paper.objects.filter(pk=paper.pk).update(**{name: getattr(paper, name) for name in fields})
    trending_refresh(paper_ids=[paper.pk])
    page_version.changed()
    return paper


def vote_set(*, user, paper_id: int, up: bool) -> VoteState:
    """Upvote (``up``) or withdraw the upvote; doing it twice changes nothing."""
    with transaction.atomic():
        paper = _locked_paper(paper_id)
        if up:
            try:
                with transaction.atomic():
                    Vote.objects.get_or_create(user=user, paper=paper)
            except IntegrityError:
                pass  # the same user's concurrent request won: one vote either way
        else:
            Vote.objects.filter(user=user, paper=paper).delete()
        paper = _recount(paper, votes=True)
    return VoteState(voted=up, count=paper.upvote_count)


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError("A comment cannot be empty.")
    if len(body) > settings.COMMENT_MAX_LENGTH:
        raise ValidationError(
            f"A comment can be at most {settings.COMMENT_MAX_LENGTH:,} characters "
            f"(this one has {len(body):,})."
        )
    return body


def comment_create(*, author, paper_id: int, body: str, parent_id: int | None = None) -> Comment:
    body = _clean_body(body)
    with transaction.atomic():
        paper = _locked_paper(paper_id)
        parent = None
        if parent_id is not None:
            parent = Comment.objects.filter(pk=parent_id, paper=paper).first()
            if parent is None:
                raise ValidationError("The comment you replied to is not on this paper.")
            # One level of replies: answering a reply joins its thread.
            if parent.parent_id is not None:
                parent = parent.parent
        comment = Comment.objects.create(
            paper=paper, author=author, parent=parent, body=body, body_html=markdown.render(body)
        )
        _recount(paper, comments=True)
    return comment


def _own_comment(user, comment_id: int) -> Comment:
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None or comment.is_deleted:
        raise ValidationError("This comment does not exist.")
    if comment.author_id != user.pk:
        raise PermissionDenied("Only its author can change a comment.")
    return comment


def comment_edit(*, user, comment_id: int, body: str) -> Comment:
    body = _clean_body(body)
    comment = _own_comment(user, comment_id)
    comment.body = body
    comment.body_html = markdown.render(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    page_version.changed()
    return comment


def comment_delete(*, user, comment_id: int) -> None:
    """The author deletes: the text goes, the place in the thread stays for replies."""
    comment = _own_comment(user, comment_id)
    with transaction.atomic():
        paper = _locked_paper(comment.paper_id)
        Comment.objects.filter(pk=comment.pk).update(
            is_deleted=True, body="", body_html="", edited_at=timezone.now()
        )
        _recount(paper, comments=True)


def comment_report(*, user, comment_id: int, reason: str = "") -> bool:
    """Report a comment to the moderators; False when this user already had."""
    comment = Comment.objects.filter(pk=comment_id, is_deleted=False).first()
    if comment is None:
        raise ValidationError("This comment does not exist.")
    if comment.author_id == user.pk:
        raise ValidationError("You cannot report your own comment; edit or delete it instead.")
    _, created = CommentReport.objects.get_or_create(
        comment=comment, reporter=user, defaults={"reason": (reason or "").strip()[:500]}
    )
    return created


def comment_moderate(*, moderator, comment_id: int, hidden: bool) -> Comment:
    """Hide or restore a comment; resolves its open reports."""
    if not is_moderator(moderator):
        raise PermissionDenied("Only moderators can hide or restore comments.")
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        raise ValidationError("This comment does not exist.")
    now = timezone.now()
    with transaction.atomic():
        paper = _locked_paper(comment.paper_id)
        comment.is_hidden = hidden
        comment.hidden_by = moderator if hidden else None
        comment.hidden_at = now if hidden else None
        comment.save(update_fields=["is_hidden", "hidden_by", "hidden_at"])
        comment.reports.filter(resolved_at__isnull=True).update(resolved_at=now)
        _recount(paper, comments=True)
    return comment


def contributions_remove(*, user) -> tuple[int, int]:
    """Before a member's account goes: their upvotes are withdrawn and their
    comments deleted, the papers' counts recounted; a comment others replied
    to keeps its place in the thread, emptied, under a placeholder account
    (the replies are theirs). (upvotes, comments) removed."""
    from django.contrib.auth import get_user_model

    voted = list(Vote.objects.filter(user=user).values_list("paper_id", flat=True))
    for paper_id in voted:
        vote_set(user=user, paper_id=paper_id, up=False)
    own = Comment.objects.filter(author=user)
    papers = set(own.values_list("paper_id", flat=True))
    answered = own.filter(replies__isnull=False).exclude(replies__author=user).distinct()
    if answered.exists():
        ghost, _ = get_user_model().objects.get_or_create(
            username=DELETED_MEMBER, defaults={"is_active": False}
        )
        answered.update(
            author=ghost, is_deleted=True, body="", body_html="", edited_at=timezone.now()
        )
    removed = own.count()
    own.delete()
    for paper_id in papers:
        with transaction.atomic():
            _recount(_locked_paper(paper_id), comments=True)
    return len(voted), removed


# The account that holds emptied comments of deleted members that others replied to.
DELETED_MEMBER = "deleted-member"
