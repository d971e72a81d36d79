"""Fetching from arXiv into the database: OAI-PMH harvests and the daily ingest.

A harvest commits each page together with the resumption token that follows
it, so a harvest killed at any point resumes at the first page not stored.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from dailypapers.core.categories import PHYSICS_ARCHIVES, first_match
from dailypapers.core.progress import progress_bar
from dailypapers.ingest import clients
from dailypapers.ingest.arxiv_api import ArxivApi
from dailypapers.ingest.models import HarvestState
from dailypapers.ingest.oai import OaiClient, OaiError, OaiPage
from dailypapers.ingest.report import ImportReport
from dailypapers.papers.models import Listing
from dailypapers.papers.records import ListingRecord
from dailypapers.papers.services import UpsertResult, papers_upsert


def oai_set_for(category: str) -> str:
    archive = category.split(".", 1)[0]
    return f"physics:{archive}" if archive in PHYSICS_ARCHIVES else archive


def _wanted(categories: Iterable[str]) -> set[str]:
    return {c.strip() for c in categories if c.strip()}


def _matches(record_categories: list[str], wanted: set[str]) -> bool:
    return not wanted or bool(first_match(record_categories, wanted))


class HarvestReport(ImportReport):
    def __init__(self, source: str) -> None:
        super().__init__(source=source)
        self.deleted = 0
        self.resumed_at_page: int | None = None
        self.new_by_day: Counter[dt.date] = Counter()

    def summary_lines(self) -> list[str]:
        lines = super().summary_lines()
        extra = [f"  pages: {self.files}, deleted records: {self.deleted}"]
        if self.resumed_at_page is not None:
            extra.append(f"  resumed an interrupted harvest at page {self.resumed_at_page + 1}")
        for day in sorted(self.new_by_day):
            extra.append(f"  new papers announced {day}: {self.new_by_day[day]}")
        return lines[:1] + extra + lines[1:]


def _store_page(
    page: OaiPage, *, state: HarvestState, wanted: set[str], list_new: bool, report: HarvestReport
) -> None:
    records, listings = [], []
    for item in page.records:
        report.entries += 1
        if item.deleted:
            report.deleted += 1
            continue
        if item.error or item.record is None:
            report.problem(item.identifier or "record", f"skipped: {item.error}")
            continue
        if not _matches(item.record.categories, wanted):
            continue
        records.append(item.record)
        if list_new and item.is_new and item.datestamp:
            listings.append(
                ListingRecord(
                    identity=item.record.identity,
                    day=item.datestamp,
                    source=Listing.Source.ARXIV,
                    status=Listing.Status.CANDIDATE,
                )
            )
            report.new_by_day[item.datestamp] += 1
    with transaction.atomic():
        if records:
            report.result.add(papers_upsert(records=records, listings=listings))
        state.resumption_token = page.token or ""
        state.pages += 1
        state.records += len(page.records)
        if page.complete_list_size is not None:
            state.complete_list_size = page.complete_list_size
        state.updated_at = timezone.now()
        state.save()
    report.files += 1


def oai_harvest(
    *,
    oai: OaiClient,
    metadata_prefix: str = "arXiv",
    set_spec: str = "",
    from_date: dt.date | None = None,
    until: dt.date | None = None,
    categories: Iterable[str] = (),
    list_new: bool = False,
    report: HarvestReport | None = None,
    show_progress: bool = True,
) -> HarvestReport:
    """Harvest ``ListRecords``, resuming an interrupted harvest of the same range."""
    report = report or HarvestReport(source=f"OAI-PMH {metadata_prefix} {set_spec or 'all'}")
    state, _ = HarvestState.objects.get_or_create(
        endpoint=oai.url,
        metadata_prefix=metadata_prefix,
        set_spec=set_spec,
        from_date=from_date.isoformat() if from_date else "",
        until_date=until.isoformat() if until else "",
    )
    token = None
    if state.completed_at is None and state.resumption_token:
        token = state.resumption_token
        report.resumed_at_page = state.pages
    else:
        _restart(state)
    wanted = _wanted(categories)
    bar = progress_bar(
        total=state.complete_list_size, desc=report.source, unit="rec", enabled=show_progress
    )
    try:
        while True:
            try:
                for page in oai.list_records(
                    metadata_prefix=metadata_prefix,
                    set_spec=set_spec or None,
                    from_date=from_date,
                    until=until,
                    token=token,
                ):
                    _store_page(page, state=state, wanted=wanted, list_new=list_new, report=report)
                    if page.complete_list_size and bar.total != page.complete_list_size:
                        bar.total = page.complete_list_size
                    bar.update(len(page.records))
                break
            except OaiError as exc:
                if exc.code != "badResumptionToken" or token is None:
                    raise
                # arXiv's tokens expire: ask for the whole range again, which
                # stores nothing twice.
                report.problem("resumption token", "expired; harvesting the range again", skipped=0)
                token = None
                _restart(state)
    except Exception as exc:
        state.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        state.save(update_fields=["last_error"])
        raise
    finally:
        bar.close()
    state.completed_at = timezone.now()
    state.last_error = ""
    state.save()
    return report


def _restart(state: HarvestState) -> None:
    now = timezone.now()
    state.resumption_token = ""
    state.pages = state.records = 0
    state.started_at = state.updated_at = now
    state.completed_at = None
    state.save()


def arxiv_ingest(
    *,
    oai: OaiClient,
    since: dt.date,
    until: dt.date | None = None,
    categories: Iterable[str],
    metadata_prefix: str = "arXiv",
    show_progress: bool = True,
) -> HarvestReport:
    """The daily job: papers announced since ``since`` become candidates of their day."""
    wanted = sorted(_wanted(categories))
    report = HarvestReport(source=f"arXiv {','.join(wanted) or 'all'} since {since}")
    for set_spec in sorted({oai_set_for(c) for c in wanted}) or [""]:
        oai_harvest(
            oai=oai,
            metadata_prefix=metadata_prefix,
            set_spec=set_spec,
            from_date=since,
            until=until,
            categories=wanted,
            list_new=True,
            report=report,
            show_progress=show_progress,
        )
    return report


def arxiv_fetch(*, api: ArxivApi, ids: Iterable[str]) -> UpsertResult:
    """Fetch papers by id through the query API and store them."""
    return papers_upsert(records=api.fetch(ids))


def papers_by_id(*, ids: Iterable[str], interactive: bool = False) -> UpsertResult:
    """Papers by arXiv id, fetched through the query API and stored.
    ``interactive``: a person is waiting (a submission), so one quick retry,
    not minutes of them. Raises SourceError when arXiv cannot be asked."""
    api = clients.interactive_arxiv_api() if interactive else clients.arxiv_api()
    try:
        return arxiv_fetch(api=api, ids=ids)
    finally:
        api.client.close()


def papers_for_waiting(rows: list) -> bool:
    """Fetch the papers that ``rows`` (of a model with ``arxiv_id``,
    ``attempts`` and ``last_error``: work that waits for arXiv) name. When
    arXiv cannot be asked, each row counts an attempt and keeps the reason,
    and the answer is False: they wait for the next round."""
    from django.db.models import F

    from dailypapers.ingest.errors import SourceError

    try:
        papers_by_id(ids=sorted({row.arxiv_id for row in rows}))
    except SourceError as exc:
        type(rows[0]).objects.filter(pk__in=[row.pk for row in rows]).update(
            attempts=F("attempts") + 1, last_error=str(exc)[:2000]
        )
        return False
    return True
