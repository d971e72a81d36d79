"""Reading the Daily Papers API format (``GET /api/daily_papers?date=...``).

A day file is a JSON list of entries ``{paper: {...}, numComments, submittedBy,
...}``. Real files also come as ``{"status", "date", "count", "data": [...]}``
wrappers, and some December 2024 files hold each entry as the *repr* of a
Python dict. Those are read with ``ast.literal_eval``, which accepts literals
only and never executes code. Every entry that cannot be used is reported
with its position and skipped; nothing here aborts a whole import.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dailypapers.ingest.errors import DayFileError, EntryError
from dailypapers.ingest.timestamps import parse_date, parse_datetime, start_of
from dailypapers.papers.identifiers import parse_arxiv_id
from dailypapers.papers.models import Listing
from dailypapers.papers.records import SOURCE_DAILY_PAPERS, ListingRecord, PaperRecord

# Python-dict strings longer than this are refused unparsed: literal_eval's
# cost grows with nesting and a real entry is a few kilobytes.
MAX_ENTRY_CHARS = 1_000_000


@dataclass
class DayFile:
    day: dt.date
    entries: list[object]
    problems: list[tuple[int, str]] = field(default_factory=list)


def read_day_file(path: Path) -> DayFile:
    try:
        data = json.loads(path.read_bytes())
    except json.JSONDecodeError as exc:
        raise DayFileError(
            f"not valid JSON (truncated or malformed) at line {exc.lineno} column {exc.colno}: "
            f"{exc.msg}"
        ) from None
    except UnicodeDecodeError as exc:
        raise DayFileError(f"not UTF-8 text: {exc.reason}") from None
    day = parse_date(path.stem)
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        day = parse_date(data.get("date")) or day
        data = data["data"]
    if not isinstance(data, list):
        raise DayFileError(f"expected a JSON list of entries, found {type(data).__name__}")
    if day is None:
        raise DayFileError("cannot tell the day: name the file YYYY-MM-DD.json")
    return DayFile(day=day, entries=data)


def _as_dict(entry: object) -> dict:
    if isinstance(entry, dict):
        return entry
    if isinstance(entry, str):
        if len(entry) > MAX_ENTRY_CHARS:
            raise EntryError(f"string entry of {len(entry)} characters is too long to parse")
        try:
            value = ast.literal_eval(entry.strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
            kind = type(exc).__name__
            raise EntryError(f"string entry is not a Python dict literal ({kind})") from None
        if isinstance(value, dict):
            return value
        raise EntryError(f"string entry holds a {type(value).__name__}, not an object")
    raise EntryError(f"entry is a {type(entry).__name__}, not an object")


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _user_handle(value: object) -> str:
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("user"))[:150]
    return ""


def _user_fullname(value: object) -> str:
    if isinstance(value, dict):
        return " ".join(_text(value.get("fullname")).split())[:150]
    return ""


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def entry_records(
    entry: object, *, day: dt.date, position: int
) -> tuple[PaperRecord, ListingRecord]:
    data = _as_dict(entry)
    paper = data.get("paper")
    if not isinstance(paper, dict):
        raise EntryError("missing the 'paper' object")
    arxiv = parse_arxiv_id(_text(paper.get("id")))
    if arxiv is None:
        raise EntryError(f"missing or invalid paper.id {paper.get('id')!r}")
    title = _text(paper.get("title")) or _text(data.get("title"))
    if not title.strip():
        raise EntryError(f"paper {arxiv.id} has no title")
    raw_authors = paper.get("authors")
    if not isinstance(raw_authors, list):
        raise EntryError(f"paper {arxiv.id} has no author list")
    authors = [
        {"name": " ".join(a["name"].split())}
        for a in raw_authors
        if isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"].strip()
    ]
    record = PaperRecord(
        source=SOURCE_DAILY_PAPERS,
        arxiv_id=arxiv.id,
        version=None,  # the Daily Papers API does not say which version it shows
        title=title,
        abstract=_text(paper.get("summary")) or _text(data.get("summary")),
        authors=authors,
        published_at=parse_datetime(paper.get("publishedAt")),
        code_url=_text(paper.get("githubRepo")),
        project_url=_text(paper.get("projectPage")),
        upvotes=_count(paper.get("upvotes")),
        num_comments=_count(data.get("numComments")),
        # Counts are as of the day the file was fetched: the listing day.
        observed_at=start_of(day),
    )
    submitter = data.get("submittedBy")
    if not _user_handle(submitter):
        submitter = paper.get("submittedOnDailyBy")
    listing = ListingRecord(
        identity=record.identity,
        day=day,
        source=Listing.Source.DAILY_PAPERS,
        submitter_name=_user_handle(submitter),
        submitter_fullname=_user_fullname(submitter),
        submitted_at=parse_datetime(paper.get("submittedOnDailyAt")),
        position=position,
    )
    return record, listing


def iter_day_records(
    day_file: DayFile,
) -> Iterator[tuple[int, tuple[PaperRecord, ListingRecord] | EntryError]]:
    """Yield (1-based entry number, records or the reason the entry is unusable)."""
    for number, entry in enumerate(day_file.entries, start=1):
        try:
            yield number, entry_records(entry, day=day_file.day, position=number)
        except EntryError as exc:
            yield number, exc
