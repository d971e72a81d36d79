"""A member's page: what they submitted and upvoted."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dailypapers.community import selectors


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
