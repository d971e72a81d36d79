"""Imports of files: Daily Papers day files, a saved page, the arXiv snapshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from dailypapers.core.progress import progress, progress_bar
from dailypapers.ingest import daily_papers, seed, snapshot
from dailypapers.ingest.errors import DayFileError, EntryError, FileChanged, SeedFileError
from dailypapers.ingest.models import ImportCheckpoint
from dailypapers.ingest.report import ImportReport, Problem
from dailypapers.papers.bulk import Draft
from dailypapers.papers.services import papers_upsert

# Problems kept in a checkpoint for the summary; the rest are only counted.
MAX_KEPT_PROBLEMS = 200
# Lines a snapshot import commits at a time: fewer commits (each flushes the
# full-text index) up to where more lines only cost memory (docs/benchmarks.md).
SNAPSHOT_BATCH = 5000


def _expand(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    return files


def daily_papers_import(*, paths: Iterable[Path], show_progress: bool = True) -> ImportReport:
    """Import Daily Papers day files (or directories of them), a transaction per file."""
    report = ImportReport(source="Daily Papers")
    files = _expand(paths)
    for path in progress(files, desc="Daily Papers", unit="file", enabled=show_progress):
        report.files += 1
        try:
            day_file = daily_papers.read_day_file(path)
        except (DayFileError, OSError) as exc:
            report.problem(path.name, f"file skipped: {exc}", skipped=0)
            continue
        records, listings = [], []
        for number, outcome in daily_papers.iter_day_records(day_file):
            report.entries += 1
            if isinstance(outcome, EntryError):
                report.problem(f"{path.name} entry {number}", f"skipped: {outcome}")
                continue
            records.append(outcome[0])
            listings.append(outcome[1])
        if records:
            report.result.add(papers_upsert(records=records, listings=listings))
    return report


def seed_import(*, path: Path, show_progress: bool = True) -> ImportReport:
    """Import a saved Daily Papers page (title-only papers, matched by title)."""
    report = ImportReport(source=f"Saved page {path.name}", files=1)
    try:
        page_day, entries = seed.read_seed_file(path)
    except (SeedFileError, OSError) as exc:
        report.problem(path.name, f"file skipped: {exc}", skipped=0)
        return report
    if page_day is None:
        page_day = dt.date.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
        report.problem(path.name, "no page_date/page_year: observed on the file's date", skipped=0)
    records = []
    outcomes = seed.seed_records(entries, observed_on=page_day)
    bar = progress(
        outcomes, total=len(entries), desc="Saved page", unit="paper", enabled=show_progress
    )
    for number, outcome in bar:
        report.entries += 1
        if isinstance(outcome, str):
            report.problem(f"{path.name} entry {number}", f"skipped: {outcome}")
        else:
            records.append(outcome)
    if records:
        report.result.add(papers_upsert(records=records))
    return report


def default_data_import(*, data_dir: Path, show_progress: bool = True) -> list[ImportReport]:
    """The real data the embedded default starts with, from ``data_dir``."""
    reports = []
    seed_path = data_dir / "seed_papers.json"
    if seed_path.exists():
        reports.append(seed_import(path=seed_path, show_progress=show_progress))
    day_dir = data_dir / "hf_daily_papers"
    if day_dir.is_dir():
        reports.append(daily_papers_import(paths=[day_dir], show_progress=show_progress))
    return reports


def snapshot_import(
    *,
    path: Path,
    batch_size: int = SNAPSHOT_BATCH,
    show_progress: bool = True,
    parse_separately: bool | None = None,
    only_stored: bool = False,
) -> ImportReport:
    """Import an arXiv metadata snapshot file (JSON lines, plain or gzipped).

    Each batch is committed with a checkpoint of the last line it covers, so
    an interrupted import started again skips what is already stored, once
    it has checked that the file begins with the same lines (a repaired
    download resumes; another file is read from the start). A completed
    import is started over (changing nothing that is already up to date).
    The file is read and parsed in a second process where there is a core
    for it (``parse_separately``). ``only_stored``: arXiv's metadata for the
    papers the site has, and no new papers.
    """
    report = ImportReport(source=f"arXiv snapshot {path.name}", files=1)
    checkpoint = _checkpoint(path, kind="snapshot-stored" if only_stored else "snapshot")
    options = {"batch_size": batch_size, "separate": parse_separately, "only_stored": only_stored}
    try:
        _snapshot_batches(path, checkpoint, report, show_progress=show_progress, **options)
    except FileChanged:
        _start_over(checkpoint)
        report = ImportReport(source=report.source, files=1)
        _snapshot_batches(path, checkpoint, report, show_progress=show_progress, **options)
    checkpoint.completed_at = timezone.now()
    checkpoint.save(update_fields=["completed_at"])
    report.skipped = checkpoint.bad_lines
    report.problems = [Problem(path.name, text) for text in checkpoint.problems]
    if checkpoint.bad_lines > len(checkpoint.problems):
        extra = checkpoint.bad_lines - len(checkpoint.problems)
        report.problems.append(Problem(path.name, f"... and {extra} more bad lines"))
    return report


def _snapshot_batches(
    path: Path,
    checkpoint: ImportCheckpoint,
    report: ImportReport,
    *,
    batch_size: int,
    separate: bool | None,
    only_stored: bool,
    show_progress: bool,
) -> None:
    resume_after = checkpoint.lines_done
    report.resumed_after_line = resume_after or None
    bar = progress_bar(
        total=path.stat().st_size, desc=report.source, unit="B", unit_scale=True,
        enabled=show_progress,
    )  # fmt: skip
    chunks = snapshot.prepared_chunks(
        path,
        after_line=resume_after,
        crc_until_then=_crc(checkpoint),
        chunk_lines=batch_size,
        separate_process=separate,
    )
    try:
        for chunk in chunks:
            records = []
            for number, outcome in chunk.parsed:
                if isinstance(outcome, str):
                    checkpoint.bad_lines += 1
                    if len(checkpoint.problems) < MAX_KEPT_PROBLEMS:
                        checkpoint.problems.append(f"line {number}: {outcome}")
                elif not (only_stored and isinstance(outcome, Draft)):  # drafts are new papers
                    records.append(outcome)
            report.entries += len(chunk.parsed)
            with transaction.atomic():
                report.result.add(papers_upsert(records=records))
                checkpoint.lines_done = chunk.parsed[-1][0]
                checkpoint.fingerprint = f"crc32:{chunk.crc:08x}"
                checkpoint.updated_at = timezone.now()
                checkpoint.save()
            bar.update(chunk.position - bar.n)
            bar.set_postfix_str(f"{report.entries + resume_after:,} lines", refresh=False)
        bar.update(bar.total - bar.n)
    finally:
        bar.close()


def _crc(checkpoint: ImportCheckpoint) -> int | None:
    """The CRC-32 of the lines a checkpoint covers, None if it does not say."""
    prefix, _, value = checkpoint.fingerprint.partition(":")
    return int(value, 16) if prefix == "crc32" and value else None


def _checkpoint(path: Path, *, kind: str) -> ImportCheckpoint:
    checkpoint, created = ImportCheckpoint.objects.get_or_create(
        kind=kind, source=str(path.resolve())
    )
    if not created and (checkpoint.completed_at or _crc(checkpoint) is None):
        _start_over(checkpoint)
    return checkpoint


def _start_over(checkpoint: ImportCheckpoint) -> None:
    checkpoint.fingerprint = ""
    checkpoint.lines_done = checkpoint.bad_lines = 0
    checkpoint.problems = []
    checkpoint.started_at = timezone.now()
    checkpoint.completed_at = None
    checkpoint.save()
