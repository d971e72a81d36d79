"""Members submit papers to today's feed; curators feature, pin and hide them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dailypapers.community import submissions
from dailypapers.community.roles import is_curator
from dailypapers.core.ratelimit import limited
from dailypapers.core.redirects import safe_next
from dailypapers.pages.decorators import member_required
from dailypapers.papers.models import Paper


@member_required
@limited("community.submit", "RATE_LIMIT_SUBMIT")
def submit(request: HttpRequest) -> HttpResponse:
    error = queued = ""
    reference = request.POST.get("reference", "").strip()[:300]
    if request.method == "POST":
        try:
            listing = submissions.paper_submit(user=request.user, reference=reference)
        except submissions.SubmissionError as exc:
            error = str(exc)
        except submissions.SubmissionQueued as exc:
            queued = str(exc)
        else:
            messages.success(request, f"Submitted: “{listing.paper.title}” is on today’s papers.")
            return redirect("papers:day", day=listing.day.isoformat())
    return render(
        request,
        "community/submit.html",
        {
            "error": error,
            "queued": queued,
            "waiting": submissions.queued_submissions_of(user=request.user),
            "reference": "" if queued else reference,
            "cap": settings.SUBMISSION_DAILY_CAP,
            "max_age": settings.SUBMISSION_MAX_AGE_DAYS,
            "curator": is_curator(request.user),
        },
        status=400 if error else 202 if queued else 200,
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
    return redirect(safe_next(request, paper.get_absolute_url()))
