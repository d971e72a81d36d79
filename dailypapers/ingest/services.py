"""Imports of the bundled real data: the saved page and Daily Papers day files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from dailypapers.ingest import daily_papers, seed
from dailypapers.ingest.progress import progress
from dailypapers.ingest.report import ImportReport
from dailypapers.papers.services import papers_upsert


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
        except (daily_papers.DayFileError, OSError) as exc:
            report.problem(path.name, f"file skipped: {exc}", skipped=0)
            continue
        records, listings = [], []
        for number, outcome in daily_papers.iter_day_records(day_file):
            report.entries += 1
            if isinstance(outcome, daily_papers.EntryError):
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
    except (seed.SeedFileError, OSError) as exc:
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
