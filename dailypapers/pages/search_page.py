"""The search page. With htmx (search as you type) only the results are rendered."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django_htmx.http import push_url

from dailypapers import search as search_facade
from dailypapers.library.selectors import is_following
from dailypapers.pages.cards import card_flags
from dailypapers.pages.page_cache import public_page, read_once

PAGE_SIZE = 20


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def _found(query, number: int) -> dict:
    """What a search shows, the same for every reader (read_once keeps it)."""
    results = search_facade.paper_search(query=query, page=number, page_size=PAGE_SIZE)
    embedded, total = search_facade.vector_coverage()
    return {
        "results": results,
        "page": Paginator(results.ids, PAGE_SIZE).get_page(number) if results.ids else None,
        "facets": search_facade.category_facets(ids=results.ids) if results.ids else [],
        "embedded": embedded,
        "paper_total": total,
        "suggestion": search_facade.spelling_suggestion(query=query),
    }


@public_page
def search(request: HttpRequest) -> HttpResponse:
    query = search_facade.from_params(request.GET)
    number = _page_number(request.GET.get("page"))
    params = search_facade.to_params(query, page=number)
    found = read_once(
        request,
        ("search", *sorted(params.items())),
        lambda: _found(query, number),
        papers=lambda found: len(found["results"].hits),
    )
    results = found["results"]
    suggestion = found["suggestion"]
    context = {
        **found,
        "query": query,
        "suggestion_string": suggestion
        and urlencode(search_facade.to_params(replace(query, text=suggestion))),
        "query_string": urlencode(search_facade.to_params(query)),
        "sorts": search_facade.SORTS,
        **card_flags(request, [hit.paper.pk for hit in results.hits]),
        "following_search": is_following(user=request.user, kind="search", value=query.text),
        "following_category": bool(query.filters.categories)
        and is_following(user=request.user, kind="category", value=query.filters.categories[0]),
    }
    if request.htmx and not request.htmx.boosted:
        # The address bar shows the canonical URL of what is on screen.
        url = f"{reverse('search:search')}?{urlencode(params)}"
        return push_url(render(request, "search/_results.html", context), url)
    return render(request, "search/search.html", context)
