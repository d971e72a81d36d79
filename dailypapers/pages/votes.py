"""Upvoting: a fragment for htmx, a redirect back for a plain form post."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dailypapers.community import services
from dailypapers.core.ratelimit import limited
from dailypapers.core.redirects import safe_next
from dailypapers.pages.decorators import member_required
from dailypapers.papers.models import Paper


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
             "next": safe_next(request)},
        )  # fmt: skip
    paper = get_object_or_404(Paper, pk=paper_id)
    return redirect(safe_next(request, paper.get_absolute_url()))
