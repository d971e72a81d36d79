"""Community actions. Each view reads the form, calls one service and answers
with a fragment for htmx or a redirect for a plain form post, so every action
also works without JavaScript."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_ratelimit.decorators import ratelimit

from dailypapers.community import selectors, services, submissions
from dailypapers.community.models import Comment
from dailypapers.community.roles import is_curator, is_moderator
from dailypapers.papers.models import Paper


def _rate(setting: str):
    # Read per request so that tests and operators can change it at run time.
    return lambda group, request: getattr(settings, setting)


def limited(group: str, setting: str):
    """A member's rate limit ``setting`` (count/unit), counted in ``group``:
    the API counts in the same groups, so web and API share one budget."""
    return ratelimit(group=group, key="user", rate=_rate(setting), method="POST", block=True)


def member_required(view):
    """Signed-in members only; others are sent to sign in (htmx: the whole page)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        back = _back(request)
        login = f"{reverse('account_login')}?next={back}"
        if request.htmx:
            return HttpResponseClientRedirect(login)
        return redirect(login)

    return wrapped


def _back(request: HttpRequest, default: str = "/") -> str:
    """Where to return after a plain form post: the form's ``next``, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def rate_limited(request: HttpRequest, exception) -> HttpResponse:
    """RATELIMIT_VIEW: too many actions in a short time."""
    message = "Too many requests in a short time; wait a minute and try again."
    if request.htmx:
        return HttpResponse(f'<p class="form-error" role="alert">{message}</p>', status=429)
    return render(request, "community/rate_limited.html", {"message": message}, status=429)


@require_POST
@member_required
@limited("community.vote", "RATE_LIMIT_VOTE")
def vote(request: HttpRequest, paper_id: int) -> HttpResponse:
    try:
        state = services.vote_set(
            user=request.user, paper_id=paper_id, up=request.POST.get("up") == "1"
        )
    except ValidationError as exc:
        raise Http404(exc.messages[0]) from None
    if request.htmx:
        return render(
            request,
            "community/_vote.html",
            {"paper_id": paper_id, "count": state.count, "voted": state.voted,
             "next": _back(request)},
        )  # fmt: skip
    paper = get_object_or_404(Paper, pk=paper_id)
    return redirect(_back(request, paper.get_absolute_url()))


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
    comment = get_object_or_404(Comment.objects.select_related("paper"), pk=comment_id)
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
            return redirect(comment.paper.get_absolute_url() + f"#comment-{comment.pk}")
    return render(
        request,
        "community/comment_edit.html",
        {"comment": comment, "error": error, "body": request.POST.get("body", comment.body)},
    )


@require_POST
@member_required
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("paper"), pk=comment_id)
    try:
        services.comment_delete(user=request.user, comment_id=comment.pk)
    except ValidationError as exc:
        return _comments_response(request, comment.paper, error=exc.messages[0])
    return _comments_response(request, comment.paper)


@require_POST
@member_required
@limited("community.comment", "RATE_LIMIT_COMMENT")
def comment_report(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("paper"), pk=comment_id)
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
    return redirect(comment.paper.get_absolute_url() + f"#comment-{comment.pk}")


@require_POST
@member_required
def comment_moderate(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("paper"), pk=comment_id)
    hidden = request.POST.get("hidden") == "1"
    services.comment_moderate(moderator=request.user, comment_id=comment.pk, hidden=hidden)
    messages.success(request, "Comment hidden." if hidden else "Comment restored.")
    return redirect(comment.paper.get_absolute_url() + f"#comment-{comment.pk}")


@member_required
@limited("community.submit", "RATE_LIMIT_SUBMIT")
def submit(request: HttpRequest) -> HttpResponse:
    error = ""
    reference = request.POST.get("reference", "").strip()[:300]
    if request.method == "POST":
        try:
            listing = submissions.paper_submit(user=request.user, reference=reference)
        except submissions.SubmissionError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Submitted: “{listing.paper.title}” is on today’s papers.")
            return redirect("papers:day", day=listing.day.isoformat())
    return render(
        request,
        "community/submit.html",
        {
            "error": error,
            "reference": reference,
            "cap": settings.SUBMISSION_DAILY_CAP,
            "max_age": settings.SUBMISSION_MAX_AGE_DAYS,
            "curator": is_curator(request.user),
        },
        status=400 if error else 200,
    )


@require_POST
@member_required
def curate(request: HttpRequest, paper_id: int) -> HttpResponse:
    paper = get_object_or_404(Paper, pk=paper_id)
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        messages.error(request, "Choose a valid day (YYYY-MM-DD).")
        return redirect(paper.get_absolute_url())
    action = request.POST.get("action", "")
    try:
        submissions.listing_curate(curator=request.user, paper_id=paper.pk, day=day, action=action)
    except submissions.SubmissionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Done: {action} on {day:%b %-d, %Y}.")
    return redirect(_back(request, paper.get_absolute_url()))


def profile(request: HttpRequest, username: str) -> HttpResponse:
    user, listings, upvoted = selectors.profile(username=username)
    if user is None:
        raise Http404(f"No member called “{username}”.")
    return render(
        request,
        "community/profile.html",
        {
            "member": user,
            "listings": listings,
            "upvoted": upvoted,
            "voted_ids": selectors.voted_paper_ids(
                user=request.user, paper_ids=[p.pk for p in upvoted]
            ),
        },
    )
