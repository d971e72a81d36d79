"""A paper's page: metadata, links, the days it was featured, related papers, discussion."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dailypapers import search
from dailypapers.community.selectors import paper_comments, threads_of
from dailypapers.library.collections import collections_of
from dailypapers.pages.cards import card_flags
from dailypapers.pages.page_cache import public_page, read_once
from dailypapers.pages.roles import viewer_roles
from dailypapers.papers import selectors
from dailypapers.papers.models import Paper
from dailypapers.syndication.citations import bibtex


def _paper_data(paper: Paper, new_since) -> dict:
    """What a paper's page shows, the same for every reader (read_once keeps it)."""
    listings = selectors.paper_listings(paper=paper)
    return {
        "paper": paper,
        "listings": listings,
        "is_new": bool(new_since) and any(item.submitted_at >= new_since for item in listings),
        "related": search.related_papers(paper=paper),
        "bibtex": bibtex([paper]),
        "comments": paper_comments(paper=paper),
    }


@public_page
def paper_detail(request: HttpRequest, ref: str) -> HttpResponse:
    paper = read_once(request, ("paper", ref), lambda: selectors.paper_by_ref(ref=ref))
    if paper is None:
        raise Http404(f"No paper with the id “{ref}” is known here.")
    if paper.ref != ref:
        # One URL per paper: versions, "arXiv:" prefixes and local keys of
        # papers that have since got an arXiv id all lead to the canonical one.
        return redirect("papers:detail", ref=paper.ref, permanent=True)
    new_since = read_once(request, ("feed-state",), selectors.feed_state).new_since
    data = read_once(
        request,
        ("paper-page", paper.pk),
        lambda: _paper_data(paper, new_since),
        papers=lambda data: 1 + len(data["related"]),
    )
    user = request.user
    roles = viewer_roles(request)
    return render(
        request,
        "papers/detail.html",
        {
            **data,
            "threads": threads_of(
                comments=data["comments"],
                viewer_id=user.pk if user.is_authenticated else None,
                moderator=roles.moderator,
            ),
            **card_flags(request, [paper.pk, *(p.pk for p in data["related"])]),
            "curator": roles.curator,
            "moderator": roles.moderator,
            "today": timezone.localdate(),
            "collections": collections_of(user=user) if user.is_authenticated else [],
        },
    )
