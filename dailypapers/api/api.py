"""The JSON API (django-ninja): a read API with the shapes of the Daily Papers
API, and a write API for personal tokens with the web UI's rules and limits.

OpenAPI schema at /api/openapi.json, interactive docs at /api/docs. Every
4xx answer is JSON with an "error" message; parameters the endpoint does not
know and values out of range are refused (400/422), never ignored or 500.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from dailypapers import search
from dailypapers.api import schemas
from dailypapers.api.tokens import token_user
from dailypapers.community import services as community
from dailypapers.community.submissions import SubmissionQueued, paper_submit
from dailypapers.core import errors
from dailypapers.core.ratelimit import over_limit
from dailypapers.core.site import absolute_url
from dailypapers.papers import periods, selectors
from dailypapers.papers.models import Listing, Paper

api = NinjaAPI(
    title=f"{settings.SITE_NAME} API",
    version="1",
    description=(
        "Read: the Daily Papers API's shapes (`/api/daily_papers`, `/api/papers/{id}`, "
        "`/api/papers/search`), plus cursor-paginated `/api/papers`. Write: personal API "
        "tokens (`Authorization: Bearer dp_...`, created in your account settings) with "
        "scopes vote, comment, submit, library:read, library:write."
    ),
    urls_namespace="api",
)

# The error answers each kind of endpoint documents (schemas.Error bodies).
READ_ERRORS = {400: schemas.Error, 404: schemas.Error, 422: schemas.Error}
WRITE_ERRORS = {**READ_ERRORS, 401: schemas.Error, 403: schemas.Error, 429: schemas.Error}


# -- errors ------------------------------------------------------------------


def _error(request, status: int, message: str, detail=None):
    body = {"error": message}
    if detail is not None:
        body["detail"] = detail
    return api.create_response(request, body, status=status)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    return _error(request, 422, "invalid parameters or body", exc.errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, "a valid API token is required (Authorization: Bearer dp_...)")


def _expected(request, exc):
    """Every app's expected errors, by core.errors' one table of statuses."""
    status = errors.http_status(exc)
    return _error(
        request, status, errors.message(exc) or {404: "not found"}.get(status, "not allowed")
    )


for _kind in (errors.Problem, Http404, PermissionDenied, ValidationError):
    api.add_exception_handler(_kind, _expected)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return _error(request, exc.status_code, str(exc))


def _only(request: HttpRequest, *names: str) -> None:
    unknown = sorted(set(request.GET) - set(names))
    if unknown:
        raise HttpError(
            400, f"unknown parameter(s): {', '.join(unknown)}; known: {', '.join(names)}"
        )


# -- shapes ------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    """The Daily Papers API's timestamp form: UTC with milliseconds, "2025-10-07T17:59:41.000Z"."""
    if value is None:
        return None
    value = value.astimezone(dt.UTC)
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}Z"


def _submitter(listing: Listing | None) -> dict | None:
    handle = listing.submitter if listing else ""
    if not handle:
        return None
    return {
        "name": handle,
        "user": handle,
        "fullname": listing.submitter_full_name,
        "avatarUrl": "",
        "type": "user",
    }


# Absent values are None here and left out of the answer (the routes use
# exclude_none), as the Daily Papers API leaves out keys it has no value for.
def paper_out(paper: Paper, listing: Listing | None = None) -> dict:
    return {
        "id": paper.ref,
        "title": paper.title,
        "summary": paper.abstract,
        "authors": [{"name": name, "hidden": False} for name in paper.author_names],
        "publishedAt": _iso(paper.published_at),
        "upvotes": paper.upvote_count,
        "numComments": paper.comment_count,
        "githubRepo": paper.code_url or None,
        "projectPage": paper.project_url or None,
        "categories": paper.category_list,
        "url": absolute_url(paper.get_absolute_url()),
        "submittedOnDailyAt": _iso(listing.submitted_at) if listing else None,
        "submittedOnDailyBy": _submitter(listing),
    }


def daily_out(listing: Listing) -> dict:
    paper = listing.paper
    return {
        "paper": paper_out(paper, listing),
        # The paper's date, as the original gives it here (not the featured time).
        "publishedAt": _iso(paper.published_at),
        "title": paper.title,
        "summary": paper.abstract,
        "numComments": paper.comment_count,
        "submittedBy": _submitter(listing),
        "isAuthorParticipating": False,
        # huggingface_hub's PaperInfo reads the links from the entry, not from its paper.
        "githubRepo": paper.code_url or None,
        "projectPage": paper.project_url or None,
    }


def _paper(arxiv_id: str) -> Paper:
    paper = selectors.paper_by_ref(ref=arxiv_id)
    if paper is None:
        raise Http404(f"no paper {arxiv_id[:60]!r} is known here")
    return paper


# -- read --------------------------------------------------------------------


# Read answers leave out keys without a value, as the Daily Papers API does.
READ = {"tags": ["read"], "exclude_none": True}

# The order of each ``sort``; without one, a day, week or month is listed by
# upvotes as the original lists a day, and everything else newest featured first.
_API_ORDERINGS = {
    "publishedAt": ("-submitted_at", "pk"),
    "trending": ("-paper__trending_key", "-submitted_at", "pk"),
}


@api.get("/daily_papers", response={200: list[schemas.DailyPaper], **READ_ERRORS}, **READ)
def daily_papers(
    request,
    p: int = Query(0, ge=0, le=10_000, description="page number, from 0"),
    limit: int = Query(50, ge=1, le=100),
    date: str | None = Query(None, description="YYYY-MM-DD", pattern=r"^\d{4}-\d{2}-\d{2}$"),
    week: str | None = Query(None, description="YYYY-Www", pattern=r"^\d{4}-W\d{2}$"),
    month: str | None = Query(None, description="YYYY-MM", pattern=r"^\d{4}-\d{2}$"),
    submitter: str | None = Query(None, max_length=150),
    sort: Literal["publishedAt", "trending"] | None = Query(
        None,
        description="publishedAt: newest featured first; trending: by trending score; "
        "default: by upvotes within a date, week or month (pinned first), else publishedAt",
    ),
):
    """Featured papers: a day's (week's, month's) by upvotes, or newest featured first."""
    _only(request, "p", "limit", "date", "week", "month", "submitter", "sort")
    chosen = [(kind, raw) for kind, raw in (("day", date), ("week", week), ("month", month)) if raw]
    if len(chosen) > 1:
        raise HttpError(400, "give at most one of date, week and month")
    if chosen:
        kind, raw = chosen[0]
        parse = {"day": periods.parse_day, "week": periods.parse_week, "month": periods.parse_month}
        listings = selectors.feed_listings(period=parse[kind](raw))
    else:
        listings = selectors.visible_listings().select_related("paper", "submitted_by")
    if submitter:
        listings = listings.filter(submitted_by__username=submitter) | listings.filter(
            submitted_by__isnull=True, submitter_name=submitter
        )
    if sort is not None or not chosen:
        # A period's listings come in the feed's upvote order already.
        listings = listings.order_by(*_API_ORDERINGS[sort or "publishedAt"])
    page = listings[p * limit : (p + 1) * limit]
    return [daily_out(listing) for listing in page]


@api.get("/papers/search", response={200: list[schemas.Paper], **READ_ERRORS}, **READ)
def search_papers(
    request,
    q: str = Query(..., max_length=search.MAX_QUERY_CHARS),
    # The original's maximum, so its clients' requests are not refused.
    limit: int = Query(20, ge=1, le=120),
):
    """Hybrid keyword and semantic search; an arXiv id or exact title comes first.
    `author:"Name"` keeps one author's papers; a category in `q` (`cs.CL`)
    keeps that category's, and alone lists its newest papers."""
    _only(request, "q", "limit")
    results = search.paper_search(query=search.SearchQuery(text=q), page=1, page_size=limit)
    return [paper_out(hit.paper) for hit in results.hits]


# "suggestion": null is the answer "spelt right", not an omission.
@api.get(
    "/papers/search/suggestion",
    response={200: schemas.Suggestion, **READ_ERRORS},
    **{**READ, "exclude_none": False},
)
def search_suggestion(request, q: str = Query(..., max_length=search.MAX_QUERY_CHARS)):
    """The search page's "Did you mean": `q` spelt as the papers spell it
    ("transfomer atention" gives "transformer attention"), or null. Never
    applied to a search unasked: a rare word may be what was meant."""
    _only(request, "q")
    return {"q": q, "suggestion": search.spelling_suggestion(query=search.SearchQuery(text=q))}


_CURSOR_SALT = "dailypapers.api.cursor"


@api.get("/papers", response={200: schemas.PaperPage, **READ_ERRORS}, **READ)
def papers(
    request,
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(50, ge=1, le=100),
):
    """Every paper, newest added first, a page at a time: follow nextCursor."""
    _only(request, "cursor", "limit")
    rows = Paper.objects.order_by("-pk")
    if cursor:
        try:
            after = int(signing.loads(cursor, salt=_CURSOR_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            raise HttpError(400, "this cursor is not valid; start again without one") from None
        rows = rows.filter(pk__lt=after)
    page = list(rows[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    next_cursor = signing.dumps(page[-1].pk, salt=_CURSOR_SALT) if more and page else None
    return {"papers": [paper_out(paper) for paper in page], "nextCursor": next_cursor}


# -- write -------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """A personal API token with the scope the endpoint needs."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        found = token_user(token)
        if found is None:
            return None
        user, api_token = found
        if self.scope not in api_token.scopes:
            raise HttpError(403, f"this token does not have the {self.scope!r} scope")
        request.user = user
        return user


def _limit(request, group: str, setting: str) -> None:
    # The same counters as the pages': one budget per member (core.ratelimit).
    if over_limit(request, group, setting):
        raise HttpError(429, "too many requests in a short time; wait a minute and try again")


@api.post("/papers/{path:arxiv_id}/upvote", response={200: schemas.VoteOut, **WRITE_ERRORS},
          auth=TokenAuth("vote"),
          tags=["write"])  # fmt: skip
def upvote(request, arxiv_id: str, body: schemas.VoteIn):
    """Upvote a paper (``{"up": true}``) or withdraw the upvote (``{"up": false}``)."""
    _only(request)
    _limit(request, "community.vote", "RATE_LIMIT_VOTE")
    state = community.vote_set(user=request.auth, paper_id=_paper(arxiv_id).pk, up=body.up)
    return {"voted": state.voted, "upvotes": state.count}


@api.post("/papers/{path:arxiv_id}/comments", response={201: schemas.CommentOut, **WRITE_ERRORS},
          auth=TokenAuth("comment"), tags=["write"])  # fmt: skip
def comment(request, arxiv_id: str, body: schemas.CommentIn):
    """Comment (Markdown) on a paper, or reply to one of its comments (``parent``)."""
    _only(request)
    _limit(request, "community.comment", "RATE_LIMIT_COMMENT")
    found = _paper(arxiv_id)
    created = community.comment_create(
        author=request.auth, paper_id=found.pk, body=body.body, parent_id=body.parent
    )
    return Status(201, {
        "id": created.pk, "paper": found.ref, "author": request.auth.username,
        "body": created.body, "html": created.body_html, "parent": created.parent_id,
        "createdAt": _iso(created.created_at),
    })  # fmt: skip


@api.post("/submissions",
          response={201: schemas.SubmissionOut, 202: schemas.SubmissionQueued, **WRITE_ERRORS},
          auth=TokenAuth("submit"),
          tags=["write"], exclude_none=True)  # fmt: skip
def submit(request, body: schemas.SubmissionIn):
    """Submit a paper to today's feed by arXiv id or URL, under the web UI's rules."""
    _only(request)
    _limit(request, "community.submit", "RATE_LIMIT_SUBMIT")
    try:
        listing = paper_submit(user=request.auth, reference=body.reference)
    except SubmissionQueued as exc:
        return Status(202, {"queued": True, "message": str(exc)})
    return Status(
        201,
        {
            "paper": paper_out(listing.paper, listing),
            "day": listing.day.isoformat(),
            "submittedBy": request.auth.username,
        },
    )


# Last: its path would otherwise also match .../upvote and .../comments.
@api.get("/papers/{path:arxiv_id}", response={200: schemas.Paper, **READ_ERRORS}, **READ)
def paper(request, arxiv_id: str):
    """One paper by arXiv id (any spelling: versions, arXiv: prefix, abs URL)."""
    _only(request)
    found = _paper(arxiv_id)
    listing = selectors.paper_listings(paper=found)
    return paper_out(found, listing[-1] if listing else None)


# The library's endpoints (api/library.py) use the helpers above.
from dailypapers.api.library import router as library_router  # noqa: E402

api.add_router("", library_router)
