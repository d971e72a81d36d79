"""What the community adds to papers: upvotes, comments and reports of comments.

The counts shown on cards live on the paper (papers.Paper.upvote_count and
comment_count), recounted from these tables by the services that change them,
so that a feed page never counts rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from dailypapers.papers.models import Paper


class Vote(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "paper"], name="vote_one_per_user_paper")
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="vote_user_recent_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} ▲ {self.paper_id}"


class Comment(models.Model):
    """A comment on a paper, or a reply to one (one level: replies have no replies)."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="discussion")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # What the author wrote (Markdown), and its sanitised HTML, rendered once
    # when saved rather than on every page view.
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Deleted by its author: the text is gone, the place in the thread stays
    # so that replies keep their context.
    is_deleted = models.BooleanField(default=False)
    # Hidden by a moderator: kept for review and restorable.
    is_hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["paper", "created_at"], name="comment_paper_idx")]
        permissions = [("moderate_comment", "Can hide and restore comments")]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.paper_id}: {self.body[:40]}"

    @property
    def is_visible(self) -> bool:
        return not (self.is_deleted or self.is_hidden)


class CommentReport(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when a moderator has acted on the comment (hidden or restored it).
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="report_one_per_user")
        ]

    def __str__(self) -> str:
        return f"report of {self.comment_id} by {self.reporter_id}"


class QueuedSubmission(models.Model):
    """A submission made while arXiv could not be reached: the paper is fetched
    and listed on the day it was submitted once arXiv answers (community.jobs)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="queued_submissions"
    )
    arxiv_id = models.CharField(max_length=32)
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Set when it is done: listed, or refused for good (the reason in last_error).
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "arxiv_id", "day"], name="queued_submission_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.arxiv_id} by {self.user_id} for {self.day}"
