"""The arXiv metadata snapshot: one JSON object per line, plain or gzipped.

Fields: ``id, submitter, authors, title, comments, journal-ref, doi,
report-no, categories, license, abstract, versions, update_date,
authors_parsed``. Lines are read one at a time so memory stays flat
whatever the file's size.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import queue
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO

import orjson

from dailypapers.ingest import reading_process
from dailypapers.ingest.errors import FileChanged, LineError, ReadingProcessError, SnapshotError
from dailypapers.ingest.timestamps import parse_date, start_of
from dailypapers.papers import authors as author_names
from dailypapers.papers.bulk import Draft, draft_for
from dailypapers.papers.identifiers import parse_arxiv_id
from dailypapers.papers.records import SOURCE_ARXIV, PaperRecord
from dailypapers.papers.selectors import stored_by

# A real snapshot line is a few kilobytes; anything far larger is not one.
MAX_LINE_BYTES = 1_000_000
# Where a block turns out damaged, it is inflated again this many bytes at a
# time, so that the lines just before the damage are kept too.
CAREFUL_BYTES = 64


def _inflated(inflate, block: bytes) -> Iterator[bytes]:
    """``inflate.decompress(block)``; if the block is damaged, what came out of
    it before the damage, then zlib's error."""
    before = inflate.copy()
    try:
        yield inflate.decompress(block)
        return
    except zlib.error:
        pass
    for start in range(0, len(block), CAREFUL_BYTES):
        yield before.decompress(block[start : start + CAREFUL_BYTES])


class SnapshotFile:
    """A snapshot file (JSON lines, plain or gzipped) read as a stream of lines.

    A gzipped file is inflated here, block by block, rather than by
    GzipFile behind a read-ahead buffer: when the file turns out to be
    damaged (a download cut short, flipped bytes), every complete line
    inflated before the damage has been yielded, and the error comes after
    them. ``crc`` covers every line yielded so far, so that an import can
    tell whether another file starts with the lines it has already stored.
    """

    BLOCK = 1 << 16

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self._raw: BinaryIO = path.open("rb")
        self.gzipped = self._raw.read(2) == b"\x1f\x8b"
        self._raw.seek(0)
        self.crc = 0

    @property
    def position(self) -> int:
        """Bytes of the file on disk consumed so far, for progress and ETA."""
        return self._raw.tell()

    def _blocks(self) -> Iterator[bytes]:
        """The file's content, inflated when it is gzipped (any number of members)."""
        if not self.gzipped:
            yield from iter(lambda: self._raw.read(self.BLOCK), b"")
            return
        inflate, begun = zlib.decompressobj(wbits=31), False
        while block := self._raw.read(self.BLOCK):
            while block:
                yield from _inflated(inflate, block)
                begun = True
                block = inflate.unused_data if inflate.eof else b""
                if inflate.eof:  # a member ended; what follows is the next one
                    inflate, begun = zlib.decompressobj(wbits=31), False
        if begun:
            raise EOFError("the file ends in the middle of its compressed data")

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """(1-based line number, line) for every non-blank line."""
        number, pending = 0, b""
        for block in self._blocks():
            pending += block
            *complete, pending = pending.split(b"\n")
            for line in complete:
                number += 1
                self.crc = zlib.crc32(line, self.crc)
                if line.strip():
                    yield number, line + b"\n"
        if pending:
            number += 1
            self.crc = zlib.crc32(pending, self.crc)
            if pending.strip():
                yield number, pending

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> SnapshotFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


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
        # orjson parses the lines in half the time of json; its errors are
        # json.JSONDecodeError, invalid UTF-8 included.
        data = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
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


Parsed = list[tuple[int, "Draft | PaperRecord | str"]]


def parse_lines(lines: list[tuple[int, bytes]]) -> Parsed:
    """(line number, what to store or the reason the line is unusable) for each line.

    A paper not stored yet comes as a draft (papers.bulk.Draft): the new paper
    prepared here, in the reading process, and the line itself, parsed again
    only if its paper is stored by the time the draft is written. A stored
    paper comes as its record, to be merged.
    """
    records = []
    for number, line in lines:
        try:
            records.append((number, line, line_record(line)))
        except LineError as exc:
            records.append((number, line, str(exc)))
    ids = [r.arxiv_id for _, _, r in records if not isinstance(r, str)]
    stored = {arxiv_id for arxiv_id, _ in stored_by(column="arxiv_id", values=ids)}
    parsed: Parsed = []
    for number, line, record in records:
        if isinstance(record, str):
            parsed.append((number, record))
        elif record.arxiv_id in stored:
            # What is derived from the record is computed here, not by the writer.
            record.title_key, record.found_links()  # noqa: B018
            parsed.append((number, record))
        else:
            parsed.append((number, draft_for(record, source=line, parse=line_record)))
    return parsed


@dataclass
class Chunk:
    """Parsed lines of the file, how many bytes of it were read by then, and
    the CRC-32 of the file's lines up to the last of them (for resuming)."""

    parsed: Parsed
    position: int
    crc: int


def read_chunks(
    path: Path, *, after_line: int, chunk_lines: int, crc_until_then: int | None = None
) -> Iterator[Chunk]:
    """The file's lines after ``after_line``, parsed ``chunk_lines`` at a time.

    The lines up to ``after_line`` are read but not parsed; unless their
    CRC-32 is ``crc_until_then``, the file is not the one an interrupted
    import stored them from, and FileChanged is raised. Lines before a
    damaged part of the file are all yielded before the SnapshotError that
    names the last of them.
    """
    with SnapshotFile(path) as source:
        lines: list[tuple[int, bytes]] = []
        number, crc = 0, 0
        try:
            for number, line in source.lines():
                if number <= after_line:
                    if number == after_line and source.crc != crc_until_then:
                        raise FileChanged(f"{path.name} does not begin with the lines stored")
                    continue
                lines.append((number, line))
                crc = source.crc
                if len(lines) >= chunk_lines:
                    yield Chunk(parse_lines(lines), source.position, crc)
                    lines = []
        except (OSError, EOFError, zlib.error) as exc:
            if lines:
                yield Chunk(parse_lines(lines), source.position, crc)
            raise SnapshotError(
                f"{path.name} cannot be read after line {number:,}: {exc}"
            ) from None
        if number < after_line:
            raise FileChanged(f"{path.name} has fewer lines than were stored from it")
        if lines:
            yield Chunk(parse_lines(lines), source.position, crc)


# Lines the reading process sends at a time. The writer still takes whole
# batches (``chunk_lines``), regrouped from these: sending a batch at once
# had the reader hold a whole batch of parsed objects besides the one on its
# way, about 130 MB for 5,000 lines.
TRANSFER_LINES = 1000


def prepared_chunks(
    path: Path,
    *,
    after_line: int,
    chunk_lines: int,
    crc_until_then: int | None = None,
    separate_process: bool | None = None,
) -> Iterator[Chunk]:
    """``read_chunks``, in a process of its own when there is a core for it.

    Reading, parsing and preparing the new papers' rows are more than half
    the work of an import; in a second process they go on while this one
    writes. About one chunk waits between the processes, so memory stays
    bounded whatever the size of the file. If the reading process fails,
    this raises; if this one stops, the reading process is stopped too.
    """
    if separate_process is None:
        separate_process = (os.cpu_count() or 1) > 1
    reading = {"after_line": after_line, "crc_until_then": crc_until_then}
    if not separate_process:
        yield from read_chunks(path, chunk_lines=chunk_lines, **reading)
        return
    parsed: Parsed = []
    position = crc = 0
    try:
        for part in _from_reading_process(path, chunk_lines=chunk_lines, **reading):
            parsed.extend(part.parsed)
            position, crc = part.position, part.crc
            if len(parsed) >= chunk_lines:
                yield Chunk(parsed, position, crc)
                parsed = []
    except SnapshotError:
        # The lines before the damage are stored first, as in read_chunks.
        if parsed:
            yield Chunk(parsed, position, crc)
        raise
    if parsed:
        yield Chunk(parsed, position, crc)


def _from_reading_process(
    path: Path, *, after_line: int, chunk_lines: int, crc_until_then: int | None
) -> Iterator[Chunk]:
    from django.db import connection

    transfer = min(chunk_lines, TRANSFER_LINES)
    # "spawn": a forked child would share this process's database connection.
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=reading_process.produce,
        kwargs={
            "path": path,
            "after_line": after_line,
            "crc_until_then": crc_until_then,
            "chunk_lines": transfer,
            "database_name": connection.settings_dict["NAME"],
            "sender": sender,
        },
        daemon=True,
    )
    process.start()
    # Only the reading process writes to the pipe: if it dies, even in the
    # middle of a chunk, reading here ends (EOFError) instead of waiting.
    sender.close()
    # A thread takes the chunks off the pipe into a queue of about one batch,
    # so that the reader keeps reading while this process writes a batch.
    parts: queue.Queue = queue.Queue(maxsize=max(1, chunk_lines // transfer))

    def receive() -> None:
        try:
            while True:
                item = receiver.recv()
                parts.put(item)
                if not isinstance(item, Chunk):
                    return
        except (EOFError, OSError):
            parts.put(EOFError)

    thread = threading.Thread(target=receive, name="snapshot-chunks", daemon=True)
    thread.start()
    try:
        while True:
            item = parts.get()
            if item is None:
                return
            if item is EOFError:
                process.join(timeout=5)
                raise ReadingProcessError(
                    f"the snapshot's reading process stopped (exit code {process.exitcode})"
                )
            if isinstance(item, SnapshotError | FileChanged):
                raise item
            if isinstance(item, str):
                raise ReadingProcessError(f"the snapshot's reading process failed:\n{item}")
            yield item
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        while thread.is_alive():  # unblock it if it waits for room in the queue
            with contextlib.suppress(queue.Empty):
                parts.get_nowait()
            thread.join(timeout=0.05)
        receiver.close()
