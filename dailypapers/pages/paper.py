"""A paper's page: metadata, links, the days it was featured, related papers, discussion."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dailypapers import search
from dailypapers.community.roles import is_curator, is_moderator
from dailypapers.community.selectors import paper_threads
from dailypapers.library.collections import collections_of
from dailypapers.pages.cards import card_flags
from dailypapers.pages.page_cache import public_page, read_once
from dailypapers.papers import selectors
from dailypapers.syndication.citations import bibtex


@public_page
def paper_detail(request: HttpRequest, ref: str) -> HttpResponse:
    paper = selectors.paper_by_ref(ref=ref)
    if paper is None:
        raise Http404(f"No paper with the id “{ref}” is known here.")
    if paper.ref != ref:
        # One URL per paper: versions, "arXiv:" prefixes and local keys of
        # papers that have since got an arXiv id all lead to the canonical one.
        return redirect("papers:detail", ref=paper.ref, permanent=True)
    new_since = selectors.feed_state().new_since
    listings = selectors.paper_listings(paper=paper)
    is_new = bool(new_since) and any(item.submitted_at >= new_since for item in listings)
    related = read_once(request, ("related", paper.pk), lambda: search.related_papers(paper=paper))
    return render(
        request,
        "papers/detail.html",
        {
            "paper": paper,
            "listings": listings,
            "is_new": is_new,
            "related": related,
            "threads": paper_threads(paper=paper, viewer=request.user),
            **card_flags(request, [paper.pk, *(p.pk for p in related)]),
            "curator": is_curator(request.user),
            "moderator": is_moderator(request.user),
            "today": timezone.localdate(),
            "bibtex": bibtex([paper]),
            "collections": (
                collections_of(user=request.user) if request.user.is_authenticated else []
            ),
        },
    )
