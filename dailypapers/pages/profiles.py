"""A member's page: what they submitted and upvoted."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dailypapers.community import selectors
from dailypapers.pages.cards import card_flags


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
            **card_flags(request, [p.pk for p in upvoted]),
        },
    )
