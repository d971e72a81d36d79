"""Writes to papers and listings. Importers and, later, submissions call these."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from dailypapers.core import page_version
from dailypapers.papers.bulk import Draft, NewPaper, insert_papers
from dailypapers.papers.identifiers import local_key_for
from dailypapers.papers.merge import COUNT_FIELDS, apply_record
from dailypapers.papers.models import Listing, Paper
from dailypapers.papers.records import ListingRecord, PaperRecord
from dailypapers.papers.selectors import in_chunks, stored_by
from dailypapers.papers.trending import trending_refresh


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    listings_created: int = 0
    listings_updated: int = 0
    # PaperRecord.identity -> Paper.pk for every record of the batch.
    paper_ids: dict[str, int] = field(default_factory=dict)

    def add(self, other: UpsertResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.listings_created += other.listings_created
        self.listings_updated += other.listings_updated

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.listings_created or self.listings_updated)


def _stored(column: str, values: Sequence[str]) -> list[Paper]:
    """The papers whose ``column`` is one of ``values``, loaded only if they exist."""
    ids = [pk for _, pk in stored_by(column=column, values=values)]
    papers: list[Paper] = []
    for chunk in in_chunks(ids):
        papers.extend(Paper.objects.filter(pk__in=chunk))
    return papers


class _Matcher:
    """Finds the stored paper a record describes: by arXiv id, else by title."""

    def __init__(self, records: Sequence[PaperRecord]) -> None:
        arxiv_ids = sorted({r.arxiv_id for r in records if r.arxiv_id})
        keys = sorted({r.title_key for r in records})
        self.by_arxiv: dict[str, Paper] = {}
        self.by_title: dict[str, list[Paper]] = {}
        for paper in _stored("arxiv_id", arxiv_ids):
            self.by_arxiv[paper.arxiv_id] = paper
        for paper in sorted(_stored("title_key", keys), key=lambda p: p.pk):
            self._remember_title(paper)

    def _remember_title(self, paper: Paper) -> None:
        papers = self.by_title.setdefault(paper.title_key, [])
        if all(p is not paper for p in papers):
            papers.append(self.by_arxiv.get(paper.arxiv_id, paper) if paper.arxiv_id else paper)

    def find(self, record: PaperRecord) -> Paper | None:
        same_title = self.by_title.get(record.title_key, [])
        if record.arxiv_id:
            # A paper first known only by its title gets its arXiv id now.
            return self.by_arxiv.get(record.arxiv_id) or next(
                (p for p in same_title if p.arxiv_id is None), None
            )
        return next((p for p in same_title if p.arxiv_id), None) or next(iter(same_title), None)

    def remember(self, paper: Paper) -> None:
        if paper.arxiv_id:
            self.by_arxiv[paper.arxiv_id] = paper
        self._remember_title(paper)


def papers_upsert(
    *, records: Sequence[PaperRecord | Draft], listings: Sequence[ListingRecord] = ()
) -> UpsertResult:
    """Create or merge the papers of ``records`` and their ``listings``, in one transaction.

    A record may come as a ``Draft``, its new paper prepared in advance.
    """
    result = UpsertResult()
    now = timezone.now()
    matcher = _Matcher(records)
    new: list[Paper] = []
    changed: dict[int, Paper] = {}
    changed_fields: set[str] = set()
    by_identity: dict[str, Paper] = {}
    # Papers whose trending key may move: their counts changed.
    recount: list[Paper] = []
    draft_usable = _draft_usable(records)
    for record in records:
        paper = matcher.find(record)
        if isinstance(record, Draft):
            if paper is None and draft_usable(record):
                # The new paper is the draft itself, its row made in advance.
                record.created_at = now
                new.append(record)
                if record.touches_counts:
                    recount.append(record)
                matcher.remember(record)
                by_identity[record.identity] = record
                continue
            record = record.record()
        is_new = paper is None
        if is_new:
            paper = NewPaper(created_at=now)
        fields = apply_record(paper, record)
        if not record.arxiv_id and paper.local_key is None:
            # Whoever links to a title-only source's paper can always use dp-<key>.
            paper.local_key = local_key_for(record.title)
            fields.add("local_key")
        if is_new:
            new.append(paper)
        elif fields and paper.pk is not None:
            changed[paper.pk] = paper
            changed_fields |= fields
        if fields & COUNT_FIELDS:
            recount.append(paper)
        matcher.remember(paper)
        by_identity[record.identity] = paper

    with transaction.atomic():
        for paper in new:
            paper.modified_at = now
        insert_papers(new)
        for paper in changed.values():
            paper.modified_at = now
        if changed:
            Paper.objects.bulk_update(
                list(changed.values()), sorted(changed_fields | {"modified_at"}), batch_size=500
            )
        result.paper_ids = {identity: paper.pk for identity, paper in by_identity.items()}
        touched = {paper.pk for paper in recount}
        if listings:
            touched |= _listings_upsert(listings, result)
        if touched:
            trending_refresh(paper_ids=touched)
        if new or changed or touched:
            page_version.changed()
    result.created = len(new)
    result.updated = len(changed)
    result.unchanged = len({id(p) for p in by_identity.values()}) - result.created - result.updated
    return result


def _draft_usable(records: Sequence[PaperRecord | Draft]):
    """Whether a draft (papers.bulk.Draft) may stand for its new paper as it is.

    Only when no other record of the batch can merge into the same paper:
    its arXiv id is the batch's only one and no title-only record shares its
    title. Otherwise its record is merged like any other.
    """
    ids = Counter(r.arxiv_id for r in records if r.arxiv_id)
    title_only = {r.title_key for r in records if not r.arxiv_id}
    return lambda record: ids[record.arxiv_id] == 1 and record.title_key not in title_only


_LISTING_FIELDS = ("source", "submitter_name", "submitter_fullname", "submitted_at", "position")


def _listings_upsert(records: Sequence[ListingRecord], result: UpsertResult) -> set[int]:
    """Create or update listings; returns the ids of papers whose listings changed."""
    wanted = {(result.paper_ids[r.identity], r.day): r for r in records}
    paper_ids = sorted({paper_id for paper_id, _ in wanted})
    existing: dict[tuple[int, object], Listing] = {}
    for chunk in in_chunks(paper_ids):
        for listing in Listing.objects.filter(paper_id__in=chunk):
            existing[(listing.paper_id, listing.day)] = listing
    create, update = [], []
    for (paper_id, day), record in wanted.items():
        values = {
            "source": record.source,
            "submitter_name": record.submitter_name,
            "submitter_fullname": record.submitter_fullname,
            # A source without a time gets the start of the day, so that a
            # re-import compares equal.
            "submitted_at": record.submitted_at
            or dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC),
            "position": record.position,
        }
        listing = existing.get((paper_id, day))
        if listing is None:
            create.append(Listing(paper_id=paper_id, day=day, status=record.status, **values))
            continue
        dirty = False
        for name, value in values.items():
            if getattr(listing, name) != value:
                setattr(listing, name, value)
                dirty = True
        # A candidate can become featured, never the other way round.
        if record.status == Listing.Status.FEATURED and listing.status != record.status:
            listing.status = record.status
            dirty = True
        if dirty:
            update.append(listing)
    Listing.objects.bulk_create(create, batch_size=500)
    if update:
        Listing.objects.bulk_update(update, [*_LISTING_FIELDS, "status"], batch_size=500)
    result.listings_created += len(create)
    result.listings_updated += len(update)
    return {listing.paper_id for listing in (*create, *update)}
