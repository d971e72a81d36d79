"""The feed: a day, an ISO week or a month of featured papers, and trending."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dailypapers.pages.calendar import month_grid
from dailypapers.pages.cards import card_flags
from dailypapers.pages.page_cache import public_page, read_once
from dailypapers.pages.pagination import OpenPage
from dailypapers.papers import periods, selectors


def _sort(request: HttpRequest) -> str:
    sort = request.GET.get("sort", "")
    return sort if sort in selectors.SORTS else selectors.SORT_UPVOTES


def _feed_data(
    period: periods.Period, sort: str, number: str | None, state: selectors.FeedState | None
) -> dict:
    """What a feed page shows, the same for every reader (read_once keeps it)."""
    page = Paginator(
        selectors.feed_listings(period=period, sort=sort), settings.FEED_PAGE_SIZE
    ).get_page(number)
    page.object_list = list(page.object_list)
    before, after = selectors.adjacent_days(period=period)
    state = state or selectors.feed_state()
    data = {
        "page": page,
        "new_since": state.new_since,
        "latest_day": state.latest_day,
        "prev_period": period.containing(before) if before else None,
        "next_period": period.containing(after) if after else None,
    }
    if period.kind == periods.MONTH:
        data["calendar"] = month_grid(period, selectors.day_counts(period=period))
    return data


def _render_feed(
    request: HttpRequest, period: periods.Period, *, state: selectors.FeedState | None = None
):
    latest = state is not None
    sort = _sort(request)
    number = request.GET.get("page")
    data = read_once(
        request,
        ("feed", period.path, sort, number),
        lambda: _feed_data(period, sort, number, state),
        papers=lambda data: len(data["page"].object_list),
    )
    page = data["page"]
    context = {
        **data,
        "period": period,
        **card_flags(request, [listing.paper_id for listing in page.object_list]),
        "sort": sort,
        "sorts": selectors.SORTS,
        "views": {
            kind: period.as_kind(kind) for kind in (periods.DAY, periods.WEEK, periods.MONTH)
        },
    }
    # An empty day still offers the way to its neighbours, but says 404 so
    # that crawlers and scripts are not told a page exists there.
    status = 404 if not page.object_list and not latest else 200
    return render(request, "papers/feed.html", context, status=status)


@public_page
def feed_latest(request: HttpRequest) -> HttpResponse:
    state = read_once(request, ("feed-state",), selectors.feed_state)
    day = state.latest_day or timezone.now().date()
    return _render_feed(request, periods.period_containing(periods.DAY, day), state=state)


def _parsed(parse, raw: str) -> periods.Period:
    try:
        return parse(raw)
    except periods.InvalidPeriod as exc:
        raise Http404(str(exc)) from None


@public_page
def feed_day(request: HttpRequest, day: str) -> HttpResponse:
    return _render_feed(request, _parsed(periods.parse_day, day))


@public_page
def feed_week(request: HttpRequest, week: str) -> HttpResponse:
    return _render_feed(request, _parsed(periods.parse_week, week))


@public_page
def feed_month(request: HttpRequest, month: str) -> HttpResponse:
    return _render_feed(request, _parsed(periods.parse_month, month))


def feed_go(request: HttpRequest) -> HttpResponse:
    """Target of the date picker form: ?date=YYYY-MM-DD."""
    period = _parsed(periods.parse_day, request.GET.get("date", "").strip())
    return redirect(period.path)


@public_page
def trending(request: HttpRequest) -> HttpResponse:
    # Previous and next only, no "page k of n": counting every featured paper
    # would cost each request a scan that grows with the site.
    number = request.GET.get("page")
    page = read_once(
        request,
        ("trending", number),
        lambda: OpenPage(selectors.trending_papers(), settings.FEED_PAGE_SIZE, number),
        papers=lambda page: len(page.object_list),
    )
    return render(
        request,
        "papers/trending.html",
        {
            "page": page,
            **card_flags(request, [p.pk for p in page.object_list]),
        },
    )


@public_page
def about_ranking(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "papers/about_ranking.html",
        {
            "half_life": settings.TRENDING_HALF_LIFE_HOURS,
            "comment_weight": settings.TRENDING_COMMENT_WEIGHT,
            "fusion": settings.SEARCH_FUSION,
            "vector_weight": settings.SEARCH_VECTOR_WEIGHT,
        },
    )
