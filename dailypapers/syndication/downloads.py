"""Downloads: citations of one paper, a day, a search, a member's upvotes
or collection; a paper's page as Markdown."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from dailypapers import search
from dailypapers.community.selectors import paper_threads, profile
from dailypapers.library.collections import collection_papers, visible_collection
from dailypapers.papers import periods, selectors
from dailypapers.syndication import citations, markdown

FORMATS = {
    "bib": (citations.bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (citations.ris, "application/x-research-info-systems; charset=utf-8"),
}
MAX_PAPERS = 200


def _answer(papers, fmt: str, name: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Citations come as .bib or .ris.")
    render, content_type = FORMATS[fmt]
    response = HttpResponse(render(papers), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    return response


def _paper(ref: str):
    paper = selectors.paper_by_ref(ref=ref)
    if paper is None:
        raise Http404(f"No paper with the id “{ref}” is known here.")
    return paper


def paper_citation(request: HttpRequest, ref: str, fmt: str) -> HttpResponse:
    paper = _paper(ref)
    return _answer([paper], fmt, paper.ref.replace("/", "_"))


def paper_markdown(request: HttpRequest, ref: str) -> HttpResponse:
    paper = _paper(ref)
    text = markdown.paper_markdown(
        paper=paper,
        listings=selectors.paper_listings(paper=paper),
        threads=paper_threads(paper=paper, viewer=request.user),
    )
    return HttpResponse(text, content_type="text/markdown; charset=utf-8")


def day_citations(request: HttpRequest, day: str, fmt: str) -> HttpResponse:
    try:
        period = periods.parse_day(day)
    except periods.InvalidPeriod as exc:
        raise Http404(str(exc)) from None
    listings = selectors.feed_listings(period=period)[:MAX_PAPERS]
    return _answer([listing.paper for listing in listings], fmt, f"papers-{day}")


def search_citations(request: HttpRequest, fmt: str) -> HttpResponse:
    # A query without words finds nothing, here as on the search page.
    query = search.from_params(request.GET)
    hits = search.paper_search(query=query, page=1, page_size=MAX_PAPERS).hits
    return _answer([hit.paper for hit in hits], fmt, "search")


def upvote_citations(request: HttpRequest, username: str, fmt: str) -> HttpResponse:
    user, _, upvoted = profile(username=username)
    if user is None:
        raise Http404(f"No member called “{username}”.")
    return _answer(upvoted, fmt, f"upvotes-{username}")


def collection_citations(request: HttpRequest, username: str, slug: str, fmt: str) -> HttpResponse:
    found = visible_collection(viewer=request.user, username=username, slug=slug)
    if found is None:
        raise Http404("No such collection here, or it is private.")
    return _answer(collection_papers(collection=found), fmt, f"{username}-{slug}")
