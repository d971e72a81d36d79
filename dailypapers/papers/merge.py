"""How one source's record of a paper changes the stored paper.

The same paper arrives from several sources, in any order, and imports are
re-run. The rule must therefore give the same result whatever the order and
change nothing on a second run:

* A record *outranks* the stored metadata when it has a higher arXiv version,
  or the same version and a strictly later observation time. An outranking
  record overwrites every field it has a value for.
* Any other record only fills fields that are still empty.
* Imported vote and comment counts follow the newest observation alone.
"""

from __future__ import annotations

import datetime as dt

from dailypapers.papers.models import Paper
from dailypapers.papers.records import AUTHORITY, PaperRecord

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Paper field -> PaperRecord attribute, for fields copied as they are.
_PLAIN_FIELDS = {
    "title": "title",
    "abstract": "abstract",
    "updated_at": "updated_at",
    "comments": "comments",
    "doi": "doi",
    "journal_ref": "journal_ref",
    "report_no": "report_no",
    "license": "license",
}


def _rank(source: str, observed_at: dt.datetime | None, version: int | None):
    return (AUTHORITY.get(source, 0), observed_at or _EPOCH, version or 0)


def _metadata_values(record: PaperRecord) -> dict[str, object]:
    values = {name: getattr(record, attr) for name, attr in _PLAIN_FIELDS.items()}
    found = record.found_links()
    values.update(
        authors=record.authors,
        categories=" ".join(record.categories),
        primary_category=record.categories[0] if record.categories else "",
        published_at=record.published_at,
        links=[link.as_dict() for link in found],
        code_url=next((link.url for link in found if link.kind == "code"), ""),
        project_url=next((link.url for link in found if link.kind == "project"), ""),
    )
    return values


# Fields whose change may move a paper in the trending ranking.
COUNT_FIELDS = frozenset({"upvote_count", "comment_count"})


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def apply_record(paper: Paper, record: PaperRecord) -> set[str]:
    """Merge ``record`` into ``paper`` in memory; return the names of changed fields."""
    changed: set[str] = set()

    def put(name: str, value: object) -> None:
        if getattr(paper, name) != value:
            setattr(paper, name, value)
            changed.add(name)

    outranks = paper.pk is None or _rank(record.source, record.observed_at, record.version) > _rank(
        paper.metadata_source, paper.metadata_observed_at, paper.version
    )
    for name, value in _metadata_values(record).items():
        if _is_empty(value):
            continue
        current = getattr(paper, name)
        if name == "published_at" and current:
            has_time = current.time() != dt.time.min
            if record.published_is_date_only and has_time:
                # A bare date (a snapshot's first listing day, the day after
                # submission) never replaces a time of day another source knew.
                continue
            if current.date() == value.date():
                # Same day: a time of day beats a bare date, whichever came first.
                if not record.published_is_date_only and not has_time:
                    put(name, value)
                continue
        if outranks or _is_empty(current):
            put(name, value)

    # A list of names is the count; a count alone is kept only without names.
    if paper.authors:
        put("authors_count", len(paper.authors))
    elif record.authors_count is not None and (outranks or paper.authors_count is None):
        put("authors_count", record.authors_count)

    if "title" in changed or paper.pk is None:
        put("title_key", record.title_key)
    if record.arxiv_id and paper.arxiv_id != record.arxiv_id:
        put("arxiv_id", record.arxiv_id)
    if outranks:
        if record.version and record.version != paper.version:
            put("version", record.version)
        put("metadata_observed_at", record.observed_at)
        put("metadata_source", record.source)

    _apply_counts(paper, record, put)
    return changed


def _apply_counts(paper: Paper, record: PaperRecord, put) -> None:
    if record.upvotes is None and record.num_comments is None:
        return
    if paper.counts_observed_at is not None and record.observed_at <= paper.counts_observed_at:
        return
    if record.upvotes is not None:
        # Local votes stay on top of whatever the source now reports.
        local_votes = paper.upvote_count - paper.upvotes_imported
        put("upvotes_imported", record.upvotes)
        put("upvote_count", record.upvotes + local_votes)
    if record.num_comments is not None:
        local_comments = paper.comment_count - paper.comments_imported
        put("comments_imported", record.num_comments)
        put("comment_count", record.num_comments + local_comments)
    put("counts_observed_at", record.observed_at)
