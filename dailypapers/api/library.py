"""The library and "For you" in the JSON API (token scopes library:read and
library:write), under the web UI's rules and limits."""

from __future__ import annotations

from ninja import Router

from dailypapers.api import schemas
from dailypapers.api.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    TokenAuth,
    _iso,
    _limit,
    _only,
    _paper,
    paper_out,
)
from dailypapers.library import selectors, services

router = Router(tags=["library"])


def _entry_out(entry) -> dict:
    return {
        "paper": paper_out(entry.paper),
        "savedAt": _iso(entry.saved_at),
        "readAt": _iso(entry.read_at),
        "notInterestedAt": _iso(entry.dismissed_at),
        "note": entry.note,
    }


@router.get("/library", response={200: list[schemas.Entry], **WRITE_ERRORS},
            auth=TokenAuth("library:read"), exclude_none=True)  # fmt: skip
def library(request):
    """The token owner's saved papers, newest save first, with notes and read marks."""
    _only(request)
    return [_entry_out(e) for e in selectors.saved_entries(user=request.auth)[:1000]]


@router.post("/library/{path:arxiv_id}", response={200: schemas.Entry, **WRITE_ERRORS},
             auth=TokenAuth("library:write"), exclude_none=True)  # fmt: skip
def library_entry(request, arxiv_id: str, body: schemas.EntryIn):
    """Save or unsave a paper, mark it read or not, "not interested", or set
    its private note: the fields given change, the others stay."""
    _only(request)
    _limit(request, "library.entry", "RATE_LIMIT_VOTE")
    entry = services.entry_set(
        user=request.auth, paper_id=_paper(arxiv_id).pk, saved=body.saved, read=body.read,
        dismissed=body.notInterested, note=body.note,
    )  # fmt: skip
    return _entry_out(entry)


@router.get("/for-you", response={200: schemas.ForYou, **READ_ERRORS, 401: schemas.Error, 403: schemas.Error},
            auth=TokenAuth("library:read"))  # fmt: skip
def for_you(request):
    """Recent papers ranked for the token owner, each with why."""
    _only(request)
    feed = selectors.for_you(user=request.auth)
    return {
        "model": feed.kind,
        "papers": [
            {"paper": paper_out(p.paper), "reason": p.reason, "score": round(p.score, 4)}
            for p in feed.picks
        ],
    }
