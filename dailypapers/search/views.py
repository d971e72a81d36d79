"""The search page. With htmx (search as you type) only the results are rendered."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django_htmx.http import push_url

from dailypapers.community.selectors import voted_paper_ids
from dailypapers.search import query as search_query
from dailypapers.search import selectors

PAGE_SIZE = 20


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def search(request: HttpRequest) -> HttpResponse:
    query = search_query.from_params(request.GET)
    number = _page_number(request.GET.get("page"))
    results = selectors.paper_search(query=query, page=number, page_size=PAGE_SIZE)
    embedded, total = selectors.vector_coverage()
    params = search_query.to_params(query)
    context = {
        "query": query,
        "query_string": urlencode(params),
        "results": results,
        "page": Paginator(results.ids, PAGE_SIZE).get_page(number) if results.ids else None,
        "facets": selectors.category_facets(ids=results.ids) if results.ids else [],
        "embedded": embedded,
        "paper_total": total,
        "sorts": search_query.SORTS,
        "voted_ids": voted_paper_ids(
            user=request.user, paper_ids=[hit.paper.pk for hit in results.hits]
        ),
    }
    if request.htmx and not request.htmx.boosted:
        # The address bar shows the canonical URL of what is on screen.
        url = f"{reverse('search:search')}?{urlencode(search_query.to_params(query, page=number))}"
        return push_url(render(request, "search/_results.html", context), url)
    return render(request, "search/search.html", context)
