"""Reading a saved Daily Papers page (``seed_papers.json``).

The page listed titles, abstracts, an author count, a date and upvotes, but
no arXiv ids: papers are matched to others by title, and get a local key
until an arXiv record with the same title arrives.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

from dailypapers.ingest.errors import SeedFileError
from dailypapers.ingest.timestamps import parse_date, start_of
from dailypapers.papers.records import SOURCE_SAVED_PAGE, PaperRecord


def _page_day(data: dict) -> dt.date | None:
    try:
        month_day = dt.datetime.strptime(str(data.get("page_date", "")).strip(), "%b %d")
        return month_day.replace(year=int(data["page_year"])).date()
    except (ValueError, KeyError, TypeError):
        return None


def read_seed_file(path: Path) -> tuple[dt.date | None, list[object]]:
    try:
        data = json.loads(path.read_bytes())
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise SeedFileError(f"not valid JSON at {where}: {exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("papers"), list):
        raise SeedFileError("expected an object with a 'papers' list")
    return _page_day(data), data["papers"]


def seed_records(
    entries: list[object], *, observed_on: dt.date
) -> Iterator[tuple[int, PaperRecord | str]]:
    """Yield (1-based entry number, record or the reason it was skipped)."""
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            yield number, f"entry is a {type(entry).__name__}, not an object"
            continue
        title = entry.get("title")
        if not isinstance(title, str) or not title.strip():
            yield number, "missing title"
            continue
        published = parse_date(entry.get("published"))
        count = entry.get("authors_count")
        upvotes = entry.get("upvotes")
        yield (
            number,
            PaperRecord(
                source=SOURCE_SAVED_PAGE,
                title=title,
                abstract=entry.get("abstract") if isinstance(entry.get("abstract"), str) else "",
                authors_count=count if isinstance(count, int) and count > 0 else None,
                published_at=start_of(published) if published else None,
                published_is_date_only=True,
                upvotes=upvotes if isinstance(upvotes, int) and upvotes >= 0 else None,
                observed_at=start_of(observed_on),
            ),
        )
