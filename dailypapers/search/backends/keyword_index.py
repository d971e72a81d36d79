"""An exact top-k BM25 index (tantivy) for keyword queries past the postings budget.

FTS5 and tsvector score every posting of every query word, so past
SEARCH_POSTINGS_BUDGET the database backends rank a bounded part of the
matches (budget.bounded_search), which at a million papers found a topic
query's own paper in the top 10 far less often than the full ranking
(docs/benchmarks.md). tantivy returns the exact BM25 top k while skipping
most postings (block-max WAND), in about a millisecond at that size.

The database stays the system of record and its index stays the one every
write keeps in step. This index is a copy the worker refreshes (the
``keyword-index`` job): papers added since its last round, and papers
changed since then, are indexed again. A search asks it only past the
budget, and the papers added since its last round are ranked by the
database's own index and merged by score, so a new paper is found at once.
Hits are checked against the database (and the search's filters) before
they are returned: a deleted paper is never one.

The files live in SEARCH_INDEX_DIR/keywords; ``keywords.json`` beside them
says how far the index goes and is written after each commit, so a reader
that sees it opens an index at least that far along.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import tantivy
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from dailypapers.core.cache import KeptValue
from dailypapers.papers.models import Paper
from dailypapers.search.backends.filters import allowed_ids
from dailypapers.search.query import Filters

log = logging.getLogger(__name__)

Hits = list[tuple[int, float]]

# Bumped when the fields change: an index of another layout is rebuilt.
LAYOUT = 1
# Papers read and indexed per database query.
BATCH = 5000
# A paper changed in a transaction that committed after a round read the
# changes may carry an earlier time than the round's mark: changes within
# this much before the mark are read again (indexing is idempotent).
_OVERLAP = dt.timedelta(minutes=2)
# A filter may reject most hits: look further when one is set (as the vector side does).
_FILTERED_DEPTH = 10


class KeywordIndexBusy(Exception):
    """Another process (the worker, a `dailypapers index`) is writing the index."""


@dataclass(frozen=True)
class State:
    layout: int
    # Every paper up to this id was indexed, and every change up to ``changed``.
    last_id: int
    changed: str
    documents: int


def _folder() -> Path:
    return settings.SEARCH_INDEX_DIR / "keywords"


def _state_path() -> Path:
    return settings.SEARCH_INDEX_DIR / "keywords.json"


def read_state() -> State | None:
    try:
        state = State(**json.loads(_state_path().read_text()))
    except (FileNotFoundError, json.JSONDecodeError, TypeError):
        return None
    return state if state.layout == LAYOUT else None


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # The fields of the FTS5 table (backends/sqlite.py), weighted alike.
    for name in ("title", "body", "authors"):
        builder.add_text_field(name, tokenizer_name="en_stem")
    builder.add_integer_field("id", indexed=True, fast=True)
    return builder.build()


def _document(paper: dict) -> tantivy.Document:
    names = " ".join(a.get("name", "") for a in paper["authors"] if isinstance(a, dict))
    return tantivy.Document(
        id=paper["id"],
        title=paper["title"],
        body=f"{paper['title']} {paper['abstract']}",
        authors=names,
    )


def refresh(*, full: bool = False) -> tuple[int, int]:
    """Index the papers added or changed since the last round (all with
    ``full``, or when the index is missing or of another layout); (papers
    indexed this round, papers in the index)."""
    folder, state = _folder(), None if full else read_state()
    index = None
    if state is not None:
        try:
            index = tantivy.Index.open(str(folder))
        except (ValueError, OSError) as error:
            log.warning("keyword index not readable, rebuilding it: %s", error)
    if index is None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        index, state = tantivy.Index(_schema(), path=str(folder)), None
    # The mark is read before the papers: a change made while they are read
    # is read again next round.
    mark = timezone.now()
    papers = Paper.objects.order_by("pk")
    if state is not None:
        since = dt.datetime.fromisoformat(state.changed) - _OVERLAP
        papers = papers.filter(Q(pk__gt=state.last_id) | Q(modified_at__gte=since))
    last_id = state.last_id if state else 0
    try:
        writer = index.writer(heap_size=64_000_000, num_threads=1)
    except ValueError as error:  # tantivy's lock: another process is writing it
        raise KeywordIndexBusy(str(error)) from None
    done, after = 0, 0
    try:
        while True:
            rows = list(
                papers.filter(pk__gt=after).values("id", "title", "abstract", "authors")[:BATCH]
            )
            if not rows:
                break
            for row in rows:
                if state is not None and row["id"] <= state.last_id:
                    writer.delete_documents_by_term("id", row["id"])
                writer.add_document(_document(row))
            after = rows[-1]["id"]
            last_id, done = max(last_id, after), done + len(rows)
        writer.commit()
        index.reload()
        if index.searcher().num_docs > Paper.objects.filter(pk__lte=last_id).count():
            _forget_deleted(index, writer)
        writer.wait_merging_threads()
    except BaseException:
        writer.rollback()
        raise
    index.reload()
    documents = index.searcher().num_docs
    _write_state(State(LAYOUT, last_id, mark.isoformat(), documents))
    return done, documents


def _forget_deleted(index: tantivy.Index, writer: tantivy.IndexWriter) -> None:
    """Take out the papers deleted from the database (merged duplicates):
    searches never return them, but BM25 would go on counting them."""
    searcher = index.searcher()
    hits = searcher.search(tantivy.Query.all_query(), searcher.num_docs, count=False).hits
    held = set(searcher.fast_field_values("id", [address for _, address in hits]))
    for pk in held - set(Paper.objects.values_list("pk", flat=True)):
        writer.delete_documents_by_term("id", pk)
    writer.commit()
    index.reload()


def _write_state(state: State) -> None:
    path = _state_path()
    temporary = path.with_suffix(f".tmp-{os.getpid()}")
    temporary.write_text(json.dumps(asdict(state)))
    os.replace(temporary, path)


@dataclass(frozen=True)
class _Reader:
    index: tantivy.Index
    searcher: tantivy.Searcher
    state: State


def _stamp():
    try:
        return str(_state_path()), _state_path().stat().st_mtime_ns
    except FileNotFoundError:
        return str(_state_path()), None


def _open() -> _Reader | None:
    # The state first: the index opened after it is at least as far along.
    state = read_state()
    if state is None:
        return None
    try:
        index = tantivy.Index.open(str(_folder()))
        return _Reader(index, index.searcher(), state)
    except (ValueError, OSError) as error:
        log.warning("keyword index not readable, searching without it: %s", error)
        return None


# One open index per process, opened again when a round published a new state.
_reader: KeptValue[_Reader | None] = KeptValue(_open, stamp=_stamp)


def covered_up_to() -> int | None:
    """The last paper id the index holds every paper up to; None without an index."""
    reader = _reader.get() if settings.SEARCH_KEYWORD_INDEX else None
    return reader.state.last_id if reader else None


def papers_after(last_id: int) -> int:
    """At most how many papers are newer than the index (ids only grow)."""
    newest = Paper.objects.order_by("-pk").values_list("pk", flat=True).first()
    return max(0, (newest or 0) - last_id)


def search(terms: list[str], filters: Filters, limit: int) -> Hits | None:
    """The best ``limit`` papers by BM25 over any of ``terms`` among the papers
    the index holds (that pass ``filters``), best first; None without an index."""
    reader = _reader.get() if settings.SEARCH_KEYWORD_INDEX else None
    if reader is None:
        return None
    title, body, authors = settings.SEARCH_FIELD_WEIGHTS
    # Each word quoted: user text is never query syntax (a word of several
    # tokens, "foo_bar", is a phrase of them).
    text = " ".join(f'"{term}"' for term in terms if '"' not in term)
    query = reader.index.parse_query(
        text,
        ["title", "body", "authors"],
        field_boosts={"title": title, "body": body, "authors": authors},
    )
    depth = limit * (_FILTERED_DEPTH if filters.active else 1)
    hits = reader.searcher.search(query, depth, count=False).hits
    ids = reader.searcher.fast_field_values("id", [address for _, address in hits])
    found = [(pk, float(score)) for (score, _), pk in zip(hits, ids, strict=True) if pk is not None]
    # Only papers still stored (and passing the filters).
    kept = allowed_ids([pk for pk, _ in found], filters)
    return [hit for hit in found if hit[0] in kept][:limit]
