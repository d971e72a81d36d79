"""The arXiv metadata snapshot: one JSON object per line, plain or gzipped.

Fields: ``id, submitter, authors, title, comments, journal-ref, doi,
report-no, categories, license, abstract, versions, update_date,
authors_parsed``. Lines are read one at a time so memory stays flat
whatever the file's size.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO

from dailypapers.ingest.timestamps import parse_date, start_of
from dailypapers.papers import authors as author_names
from dailypapers.papers.identifiers import parse_arxiv_id
from dailypapers.papers.records import SOURCE_ARXIV, PaperRecord

# A real snapshot line is a few kilobytes; anything far larger is not one.
MAX_LINE_BYTES = 1_000_000


class LineError(ValueError):
    """One line cannot be used; the message says why."""


class SnapshotFile:
    """A snapshot file opened for streaming, with the position read so far."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self._raw: BinaryIO = path.open("rb")
        gzipped = self._raw.read(2) == b"\x1f\x8b"
        self._raw.seek(0)
        self._stream: BinaryIO = gzip.GzipFile(fileobj=self._raw) if gzipped else self._raw
        self._lines = io.BufferedReader(self._stream, buffer_size=1 << 20) if gzipped else self._raw

    @property
    def position(self) -> int:
        """Bytes of the file on disk consumed so far, for progress and ETA."""
        return self._raw.tell()

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """(1-based line number, line) for every non-blank line."""
        for number, line in enumerate(self._lines, start=1):
            if line.strip():
                yield number, line

    def close(self) -> None:
        self._stream.close()
        self._raw.close()

    def __enter__(self) -> SnapshotFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def fingerprint(path: Path) -> str:
    """Size and a hash of the first megabyte: a changed file is not resumed."""
    with path.open("rb") as handle:
        head = hashlib.sha256(handle.read(1 << 20)).hexdigest()[:16]
    return f"{path.stat().st_size}:{head}"


def _version_dates(raw: object) -> list[tuple[int, dt.datetime]]:
    versions = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        number = str(item.get("version", "")).lstrip("v")
        try:
            when = parsedate_to_datetime(str(item.get("created", ""))).astimezone(dt.UTC)
        except (TypeError, ValueError):
            continue
        if number.isdigit():
            versions.append((int(number), when))
    return sorted(versions)


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def line_record(line: bytes) -> PaperRecord:
    if len(line) > MAX_LINE_BYTES:
        raise LineError(f"line of {len(line)} bytes is too long for a snapshot record")
    try:
        data = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise LineError(f"not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise LineError(f"expected a JSON object, found {type(data).__name__}")
    parsed = parse_arxiv_id(_text(data, "id"))
    if parsed is None:
        raise LineError(f"missing or invalid id {data.get('id')!r}")
    title = _text(data, "title")
    if not title.strip():
        raise LineError(f"{parsed.id} has no title")
    versions = _version_dates(data.get("versions"))
    update_date = parse_date(data.get("update_date"))
    listed = data.get("listing_dates")
    first_listed = parse_date(listed[0]) if isinstance(listed, list) and listed else None
    people = author_names.from_parsed(data.get("authors_parsed"))
    if not people:
        people = author_names.from_string(_text(data, "authors"))
    if versions:
        published, version_date = versions[0][1], versions[-1][1]
    else:
        # Without version history the first listing day is the best date known.
        day = first_listed or update_date
        published = start_of(day) if day else None
        version_date = start_of(update_date) if update_date else published
    return PaperRecord(
        source=SOURCE_ARXIV,
        arxiv_id=parsed.id,
        version=versions[-1][0] if versions else parsed.version,
        title=title,
        abstract=_text(data, "abstract"),
        authors=people,
        categories=_text(data, "categories").split(),
        published_at=published,
        published_is_date_only=not versions,
        updated_at=versions[-1][1] if len(versions) > 1 else None,
        comments=_text(data, "comments"),
        journal_ref=_text(data, "journal-ref"),
        doi=_text(data, "doi").strip(),
        report_no=_text(data, "report-no"),
        license=_text(data, "license"),
        observed_at=version_date or dt.datetime(1991, 8, 14, tzinfo=dt.UTC),
    )


Parsed = list[tuple[int, "PaperRecord | str"]]


def parse_lines(lines: list[tuple[int, bytes]]) -> Parsed:
    """(line number, record or the reason the line is unusable) for each line."""
    parsed: Parsed = []
    for number, line in lines:
        try:
            record = line_record(line)
        except LineError as exc:
            parsed.append((number, str(exc)))
            continue
        # Computed here, in the parsing process, and sent along with the record.
        record.title_key, record.found_links()  # noqa: B018
        parsed.append((number, record))
    return parsed


def parsed_chunks(
    lines: Iterator[tuple[int, bytes]], *, chunk_lines: int, workers: int | None = None
) -> Iterator[Parsed]:
    """Chunks of parsed lines, in file order.

    Parsing (JSON, names, TeX) is half the work of an import, so with more
    than one core it runs in a separate process while this one stores the
    previous chunk. At most ``workers + 1`` chunks are in flight: memory stays
    bounded whatever the size of the file.
    """
    if workers is None:
        workers = min(2, (os.cpu_count() or 1) - 1)

    def chunks() -> Iterator[list[tuple[int, bytes]]]:
        chunk: list[tuple[int, bytes]] = []
        for item in lines:
            chunk.append(item)
            if len(chunk) >= chunk_lines:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    if workers <= 0:
        for chunk in chunks():
            yield parse_lines(chunk)
        return
    # "spawn": a forked child would share the parent's database connection.
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pending: deque = deque()
        for chunk in chunks():
            pending.append(pool.apply_async(parse_lines, (chunk,)))
            if len(pending) > workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
