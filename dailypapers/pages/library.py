"""A member's library, "For you", follows and author pages.

Actions answer htmx with the fragment they change and a plain form post
with a redirect back, as voting does.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dailypapers import search
from dailypapers.core.ratelimit import limited
from dailypapers.core.redirects import safe_next
from dailypapers.library import collections, selectors, services, transfer
from dailypapers.library.models import Follow
from dailypapers.members.selectors import member_export
from dailypapers.pages.cards import card_flags
from dailypapers.pages.decorators import member_required
from dailypapers.pages.page_cache import public_page
from dailypapers.syndication.citations import bibtex

# What a button posts, as the keyword entry_set is given.
_ACTIONS = {
    "save": {"saved": True},
    "unsave": {"saved": False},
    "read": {"read": True},
    "unread": {"read": False},
    "dismiss": {"dismissed": True},
    "undismiss": {"dismissed": False},
}


@require_POST
@member_required
@limited("library.entry", "RATE_LIMIT_VOTE")
def entry_action(request: HttpRequest, paper_id: int) -> HttpResponse:
    action = request.POST.get("action", "")
    change = dict(_ACTIONS.get(action, {}))
    if action == "note":
        change["note"] = request.POST.get("note", "")
    if not change:
        return HttpResponseBadRequest(
            f"Unknown action {action!r}: one of save, unsave, read, unread, dismiss, undismiss, note."
        )
    try:
        entry = services.entry_set(user=request.user, paper_id=paper_id, **change)
    except ValidationError as exc:
        return HttpResponseBadRequest(exc.messages[0])
    if request.htmx:
        template = "library/_dismissed.html" if action == "dismiss" else "library/_save.html"
        if action in ("note", "read", "unread"):
            template = "library/_entry.html"
        return render(
            request,
            template,
            {
                "paper_id": paper_id,
                "saved": bool(entry.saved_at),
                "entry": entry,
                "next": safe_next(request),
            },
        )
    return redirect(safe_next(request, "/library"))


@require_POST
@member_required
@limited("library.follow", "RATE_LIMIT_VOTE")
def follow(request: HttpRequest) -> HttpResponse:
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "")
    on = request.POST.get("on") == "1"
    try:
        services.follow_set(user=request.user, kind=kind, value=value, on=on)
    except ValidationError as exc:
        return HttpResponseBadRequest(exc.messages[0])
    if request.htmx:
        return render(
            request,
            "library/_follow.html",
            {"kind": kind, "value": value, "following": on, "next": safe_next(request)},
        )
    return redirect(safe_next(request, "/for-you"))


@member_required
def for_you(request: HttpRequest) -> HttpResponse:
    feed = selectors.for_you(user=request.user)
    papers = [pick.paper for pick in feed.picks]
    return render(
        request,
        "library/for_you.html",
        {"feed": feed, "kinds": Follow.Kind, **card_flags(request, [p.pk for p in papers])},
    )


@member_required
def library(request: HttpRequest) -> HttpResponse:
    entries = list(selectors.saved_entries(user=request.user)[:500])
    return render(
        request,
        "library/library.html",
        {"entries": entries, "follows": selectors.follows_of(request.user),
         "collections": collections.collections_of(user=request.user),
         **card_flags(request, [e.paper_id for e in entries])},
    )  # fmt: skip


@public_page
def author(request: HttpRequest, name: str) -> HttpResponse:
    found = search.author_papers(name=name, limit=200)
    following = selectors.is_following(user=request.user, kind=Follow.Kind.AUTHOR, value=name)
    return render(
        request,
        "library/author.html",
        {"name": " ".join(name.split()), "found": found, "following": following,
         **card_flags(request, [p.pk for p in found.papers])},
        status=200 if found.papers else 404,
    )  # fmt: skip


_IMPORT_KINDS = {
    "bibtex": "BibTeX",
    "csl": "Zotero CSL JSON",
    "ids": "arXiv ids",
    "export": "an export of this software (JSON)",
}


@member_required
@limited("library.import", "RATE_LIMIT_SUBMIT")
def import_page(request: HttpRequest) -> HttpResponse:
    report, error = None, ""
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        upload = request.FILES.get("file")
        try:
            raw = (
                upload.read(transfer.MAX_IMPORT_BYTES + 1)
                if upload
                else request.POST.get("text", "").encode()
            )
            text = raw.decode("utf-8-sig")
            if kind == "export":
                report = transfer.export_import(user=request.user, document=_json(text))
            else:
                report = transfer.library_import(user=request.user, kind=kind, text=text)
        except UnicodeDecodeError:
            error = "The file is not UTF-8 text."
        except ValidationError as exc:
            error = exc.messages[0]
    return render(
        request, "library/import.html",
        {"report": report, "error": error, "kinds": _IMPORT_KINDS},
        status=400 if error else 200,
    )  # fmt: skip


def _json(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"Not JSON: line {exc.lineno} column {exc.colno}: {exc.msg}."
        ) from None


@member_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(member_export(user=request.user), indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        papers = [e.paper for e in selectors.saved_entries(user=request.user)]
        response = HttpResponse(bibtex(papers), content_type="application/x-bibtex; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="library.{"json" if fmt == "json" else "bib"}"'
    )
    return response


@require_POST
@member_required
def collection_new(request: HttpRequest) -> HttpResponse:
    try:
        found = collections.collection_create(
            user=request.user,
            name=request.POST.get("name", ""),
            public=request.POST.get("public") == "1",
        )
    except ValidationError as exc:
        return HttpResponseBadRequest(exc.messages[0])
    return redirect("library:collection", username=request.user.username, slug=found.slug)


@require_POST
@member_required
@limited("library.entry", "RATE_LIMIT_VOTE")
def collection_change(request: HttpRequest, collection_id: int) -> HttpResponse:
    """add / remove (``paper``), public / private, delete."""
    action, user = request.POST.get("action", ""), request.user
    try:
        if action in ("add", "remove"):
            paper_id = int(request.POST.get("paper", "0") or 0)
            collections.collection_set(
                user=user, collection_id=collection_id, paper_id=paper_id, member=action == "add"
            )
        elif action in ("public", "private"):
            collections.collection_update(
                user=user, collection_id=collection_id, public=action == "public"
            )
        elif action == "delete":
            collections.collection_delete(user=user, collection_id=collection_id)
            return redirect("library:library")
        else:
            return HttpResponseBadRequest(
                "Unknown action: one of add, remove, public, private, delete."
            )
    except ValueError:
        return HttpResponseBadRequest("The paper must be given by its number.")
    except ValidationError as exc:
        return HttpResponseBadRequest(exc.messages[0])
    return redirect(safe_next(request, "/library"))


@require_POST
@member_required
@limited("library.entry", "RATE_LIMIT_VOTE")
def collect(request: HttpRequest) -> HttpResponse:
    """Add a paper to the collection the form names (the paper page's "Add to")."""
    try:
        found = collections.collection_set(
            user=request.user,
            collection_id=int(request.POST.get("collection") or 0),
            paper_id=int(request.POST.get("paper") or 0),
            member=True,
        )
    except ValueError:
        return HttpResponseBadRequest("The collection and the paper are given by their numbers.")
    except ValidationError as exc:
        return HttpResponseBadRequest(exc.messages[0])
    messages.success(request, f"Added to “{found.name}”.")
    return redirect(safe_next(request, "/library"))


def collection(request: HttpRequest, username: str, slug: str) -> HttpResponse:
    found = collections.visible_collection(viewer=request.user, username=username, slug=slug)
    if found is None:
        raise Http404("No such collection here, or it is private.")
    papers = collections.collection_papers(collection=found)
    return render(
        request,
        "library/collection.html",
        {"collection": found, "papers": papers, "mine": found.user_id == request.user.pk,
         **card_flags(request, [p.pk for p in papers])},
    )  # fmt: skip
