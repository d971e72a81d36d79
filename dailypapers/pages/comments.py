"""Comments: write, reply, edit, delete, report, and moderators' hide and restore.

Each view reads the form, calls one service and answers with the thread for
htmx or a redirect for a plain form post, so every action also works without
JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dailypapers.community import selectors, services
from dailypapers.community.models import Comment
from dailypapers.community.roles import is_moderator
from dailypapers.core.ratelimit import limited
from dailypapers.pages.decorators import member_required
from dailypapers.papers.models import Paper


def _comments_response(request: HttpRequest, paper: Paper, *, error: str = "", anchor: str = ""):
    if request.htmx:
        paper.refresh_from_db(fields=["comment_count"])
        return render(
            request,
            "community/_comments.html",
            {
                "paper": paper,
                "threads": selectors.paper_threads(paper=paper, viewer=request.user),
                "comment_error": error,
                "moderator": is_moderator(request.user),
            },
        )
    if error:
        messages.error(request, error)
    return redirect(paper.get_absolute_url() + (f"#{anchor}" if anchor else "#comments"))


def _comment(comment_id: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("paper"), pk=comment_id)


def _back_to(comment: Comment):
    return redirect(comment.paper.get_absolute_url() + f"#comment-{comment.pk}")


@require_POST
@member_required
@limited("community.comment", "RATE_LIMIT_COMMENT")
def comment_create(request: HttpRequest, paper_id: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=paper_id)
    parent = request.POST.get("parent") or None
    try:
        comment = services.comment_create(
            author=request.user,
            paper_id=paper.pk,
            body=request.POST.get("body", ""),
            parent_id=int(parent) if parent and parent.isdigit() else None,
        )
    except ValidationError as exc:
        return _comments_response(request, paper, error=exc.messages[0])
    return _comments_response(request, paper, anchor=f"comment-{comment.pk}")


@member_required
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    if comment.author_id != request.user.pk or comment.is_deleted:
        raise PermissionDenied("Only its author can edit a comment.")
    error = ""
    if request.method == "POST":
        try:
            services.comment_edit(
                user=request.user, comment_id=comment.pk, body=request.POST.get("body", "")
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            return _back_to(comment)
    return render(
        request,
        "community/comment_edit.html",
        {"comment": comment, "error": error, "body": request.POST.get("body", comment.body)},
    )


@require_POST
@member_required
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    try:
        services.comment_delete(user=request.user, comment_id=comment.pk)
    except ValidationError as exc:
        return _comments_response(request, comment.paper, error=exc.messages[0])
    return _comments_response(request, comment.paper)


@require_POST
@member_required
@limited("community.comment", "RATE_LIMIT_COMMENT")
def comment_report(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    try:
        created = services.comment_report(
            user=request.user, comment_id=comment.pk, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            "Thank you: the moderators will look at this comment."
            if created
            else "You had already reported this comment.",
        )
    return _back_to(comment)


@require_POST
@member_required
def comment_moderate(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(comment_id)
    hidden = request.POST.get("hidden") == "1"
    services.comment_moderate(moderator=request.user, comment_id=comment.pk, hidden=hidden)
    messages.success(request, "Comment hidden." if hidden else "Comment restored.")
    return _back_to(comment)
