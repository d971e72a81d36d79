"""Moving a library in and out: BibTeX, Zotero's CSL JSON, lists of arXiv
ids, and this site's own export of everything a member has.

An import saves the papers it names. A reference is matched by its arXiv id
(from an ``eprint``, a URL, an arXiv DOI or a note), else by its exact title;
a paper named by arXiv id that is not stored yet is fetched from arXiv in
the background (``pending_imports_fetch``) and saved when it arrives.
Nothing an import cannot read is guessed: the report lists it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dailypapers.community.models import Comment, Vote
from dailypapers.library import services
from dailypapers.library.models import Entry, Follow, PendingImport
from dailypapers.papers.identifiers import parse_arxiv_id, title_key
from dailypapers.papers.models import Paper

MAX_IMPORT_BYTES = 5_000_000
MAX_REFERENCES = 10_000
EXPORT_FORMAT = "dailypapers-library"
EXPORT_VERSION = 1
# "arXiv:2401.01234", "arXiv preprint arXiv:2401.01234v2", "10.48550/arXiv.2401.01234"
_ARXIV_MENTION = re.compile(
    r"arxiv(?:\.org)?[\s.:/]*(?:abs/|pdf/)?"
    r"((?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?)",
    re.I,
)


@dataclass(frozen=True)
class Reference:
    arxiv_id: str = ""
    title: str = ""


@dataclass
class ImportReport:
    saved: int = 0
    fetching: int = 0  # named by arXiv id, not stored yet: fetched in the background
    unmatched: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.saved} saved"]
        if self.fetching:
            parts.append(f"{self.fetching} being fetched from arXiv")
        if self.unmatched:
            parts.append(f"{len(self.unmatched)} not found here")
        if self.unreadable:
            parts.append(f"{len(self.unreadable)} unreadable")
        return ", ".join(parts)


def _arxiv_in(*texts: str) -> str:
    for text in texts:
        if not text:
            continue
        parsed = parse_arxiv_id(text.strip())
        if parsed is None:
            found = _ARXIV_MENTION.search(text)
            parsed = parse_arxiv_id(found.group(1)) if found else None
        if parsed is not None:
            return parsed.id
    return ""


def _plain(value: str) -> str:
    """A BibTeX value as text: braces and the backslashes of commands ("{\\TeX}") go."""
    return " ".join(re.sub(r"\\([A-Za-z]+)", r"\1", re.sub(r"[{}]", "", value or "")).split())


def from_bibtex(text: str) -> tuple[list[Reference], list[str]]:
    import bibtexparser

    library = bibtexparser.parse_string(text)
    refs = []
    for entry in library.entries:
        fields = {key.lower(): str(f.value) for key, f in entry.fields_dict.items()}
        arxiv = _arxiv_in(
            fields.get("eprint", "") if "arxiv" in fields.get("archiveprefix", "arxiv").lower() else "",
            fields.get("arxivid", ""), fields.get("url", ""), fields.get("doi", ""),
            fields.get("journal", ""), fields.get("note", ""), fields.get("howpublished", ""),
        )  # fmt: skip
        refs.append(Reference(arxiv, _plain(fields.get("title", ""))))
    unreadable = [f"line {block.start_line + 1}: {block.error}" for block in library.failed_blocks]
    return refs, unreadable


def from_csl_json(text: str) -> tuple[list[Reference], list[str]]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"Not CSL JSON: line {exc.lineno} column {exc.colno}: {exc.msg}."
        ) from None
    if isinstance(items, dict):
        items = items.get("items", [items])
    if not isinstance(items, list):
        raise ValidationError("Not CSL JSON: expected a list of items.")
    refs, unreadable = [], []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            unreadable.append(f"item {n}: not an object")
            continue
        texts = [
            str(item.get(k) or "")
            for k in ("number", "URL", "DOI", "archive_location", "note", "id")
        ]
        refs.append(Reference(_arxiv_in(*texts), _plain(str(item.get("title") or ""))))
    return refs, unreadable


def from_ids(text: str) -> tuple[list[Reference], list[str]]:
    refs, unreadable = [], []
    for word in text.split():
        arxiv = _arxiv_in(word)
        (refs.append(Reference(arxiv)) if arxiv else unreadable.append(word[:100]))
    return refs, unreadable


READERS = {"bibtex": from_bibtex, "csl": from_csl_json, "ids": from_ids}


def library_import(*, user, kind: str, text: str) -> ImportReport:
    """Save the papers that ``text`` (a ``kind`` of READERS) names."""
    if kind not in READERS:
        raise ValidationError(f"Cannot import {kind!r}: one of {', '.join(READERS)}.")
    if len(text.encode()) > MAX_IMPORT_BYTES:
        raise ValidationError(f"An import can be at most {MAX_IMPORT_BYTES // 1_000_000} MB.")
    refs, unreadable = READERS[kind](text)
    if len(refs) > MAX_REFERENCES:
        raise ValidationError(f"An import can name at most {MAX_REFERENCES:,} papers.")
    report = ImportReport(unreadable=unreadable)
    by_arxiv = dict(
        Paper.objects.filter(arxiv_id__in=[r.arxiv_id for r in refs if r.arxiv_id]).values_list(
            "arxiv_id", "pk"
        )
    )
    with transaction.atomic():
        for ref in refs:
            pk = by_arxiv.get(ref.arxiv_id) if ref.arxiv_id else None
            if pk is None and ref.title and len(title_key(ref.title)) >= 12:
                pk = (
                    Paper.objects.filter(title_key=title_key(ref.title))
                    .values_list("pk", flat=True)
                    .first()
                )
            if pk is not None:
                _save(user, pk, kind)
                report.saved += 1
            elif ref.arxiv_id:
                PendingImport.objects.update_or_create(
                    user=user, arxiv_id=ref.arxiv_id,
                    defaults={"imported_from": kind, "finished_at": None},
                )  # fmt: skip
                report.fetching += 1
            else:
                report.unmatched.append(ref.title[:200] or "(no title)")
    if report.saved:
        services.taste_changed(user=user)
    return report


def _save(user, paper_id: int, kind: str) -> None:
    """Saved without a signal per paper (the import signals once)."""
    entry, _ = Entry.objects.get_or_create(user=user, paper_id=paper_id)
    if not entry.saved_at:
        entry.saved_at, entry.imported_from, entry.dismissed_at = timezone.now(), kind, None
        entry.save(update_fields=["saved_at", "imported_from", "dismissed_at"])


def pending_imports_fetch() -> tuple[int, int]:
    """Fetch the papers imports named that were not stored, and save them;
    (saved, still waiting for arXiv)."""
    from dailypapers.ingest.harvest import papers_for_waiting

    waiting = list(PendingImport.objects.filter(finished_at__isnull=True).order_by("pk")[:500])
    if not waiting:
        return 0, 0
    if not papers_for_waiting(waiting):
        return 0, len(waiting)
    stored = dict(
        Paper.objects.filter(arxiv_id__in=[p.arxiv_id for p in waiting]).values_list(
            "arxiv_id", "pk"
        )
    )
    saved, members = 0, set()
    for pending in waiting:
        pending.attempts += 1
        pending.finished_at = timezone.now()
        if pending.arxiv_id in stored:
            _save(pending.user, stored[pending.arxiv_id], pending.imported_from)
            members.add(pending.user_id)
            saved += 1
            pending.last_error = ""
        else:
            pending.last_error = f"arXiv has no paper {pending.arxiv_id}."
        pending.save(update_fields=["attempts", "finished_at", "last_error"])
    for pending in waiting:
        if pending.user_id in members:
            services.taste_changed(user=pending.user)
            members.discard(pending.user_id)
    return saved, 0


def library_export(*, user) -> dict:
    """Everything the member has in the library and the community, as one
    JSON-ready document (digests.selectors.member_export adds the digest)."""

    def ref(paper: Paper) -> dict:
        return {"arxiv_id": paper.arxiv_id or "", "title": paper.title}

    def when(value) -> str | None:
        return value.isoformat() if value else None

    entries = Entry.objects.filter(user=user).select_related("paper").order_by("pk")
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "member": {"username": user.username, "email": user.email},
        "library": [
            {
                **ref(e.paper),
                "saved_at": when(e.saved_at),
                "read_at": when(e.read_at),
                "not_interested_at": when(e.dismissed_at),
                "note": e.note,
                "imported_from": e.imported_from,
            }
            for e in entries
        ],  # fmt: skip
        "follows": [
            {"kind": f.kind, "value": f.value, "since": when(f.created_at)}
            for f in Follow.objects.filter(user=user).order_by("pk")
        ],
        "votes": [
            {**ref(v.paper), "at": when(v.created_at)}
            for v in Vote.objects.filter(user=user).select_related("paper").order_by("pk")
        ],
        "comments": [
            {**ref(c.paper), "body": c.body, "at": when(c.created_at)}
            for c in Comment.objects.filter(author=user).select_related("paper").order_by("pk")
        ],
    }


def export_import(*, user, document: dict) -> ImportReport:
    """Take in another site's export (``library_export``): the library with
    its notes and marks, and the follows. Votes and comments stay with the
    site they were given on."""
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ValidationError(f"Not an export of this software (its format is {EXPORT_FORMAT!r}).")
    if document.get("version") != EXPORT_VERSION:
        raise ValidationError(
            f"An export of version {document.get('version')!r}; this site reads {EXPORT_VERSION}."
        )
    items = document.get("library") or []
    if not isinstance(items, list) or len(items) > MAX_REFERENCES:
        raise ValidationError("The export's library is not a list of at most 10,000 papers.")
    report = library_import(
        user=user, kind="ids",
        text=" ".join(str(i.get("arxiv_id") or "") for i in items if isinstance(i, dict) and i.get("saved_at")),
    )  # fmt: skip
    for item in items:
        if not isinstance(item, dict) or not item.get("arxiv_id"):
            continue
        paper = Paper.objects.filter(arxiv_id=item["arxiv_id"]).only("pk").first()
        if paper is None:
            continue
        note = str(item.get("note") or "")[: services.NOTE_MAX_CHARS]
        services.entry_set(
            user=user, paper_id=paper.pk, note=note,
            read=True if item.get("read_at") else None,
            dismissed=True if item.get("not_interested_at") else None,
        )  # fmt: skip
    for follow in document.get("follows") or []:
        try:
            services.follow_set(
                user=user, kind=str(follow.get("kind")), value=str(follow.get("value")), on=True
            )
        except (ValidationError, AttributeError):
            report.unreadable.append(f"follow {follow!r:.100}")
    return report
