"""``dailypapers import``: load papers from files.

    dailypapers import snapshot FILE        the arXiv metadata snapshot (JSON lines, .gz too)
    dailypapers import daily-papers PATH..  Daily Papers API day files or folders
    dailypapers import seed PATH            a saved Daily Papers page
    dailypapers import default              the saved page and day files of DAILYPAPERS_SHARED_DATA

Every import is idempotent and ends with a summary naming what it skipped.
Exit status: 0 something new, 1 nothing new, 2 failed (or skips with --strict).
"""

from __future__ import annotations

from django.conf import settings

from dailypapers.core.commands import Command as BaseCommand
from dailypapers.core.commands import existing_file, existing_folder, existing_path, positive_int
from dailypapers.ingest import services
from dailypapers.ingest.errors import ReadingProcessError, SnapshotError
from dailypapers.ingest.report import exit_status


class Command(BaseCommand):
    help = "Import papers: snapshot FILE | daily-papers PATH... | seed PATH | default"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="source", required=True)
        snap = sub.add_parser(
            "snapshot", help="the arXiv metadata snapshot (JSON lines, plain or .gz)"
        )
        snap.add_argument("path", type=existing_file)
        snap.add_argument("--batch-size", type=positive_int, default=services.SNAPSHOT_BATCH)
        snap.add_argument(
            "--only-stored",
            action="store_true",
            help="arXiv's metadata for the papers already here; no new papers",
        )
        days = sub.add_parser("daily-papers", help="Daily Papers API day files or folders")
        days.add_argument("paths", type=existing_path, nargs="+")
        seed = sub.add_parser("seed", help="a saved Daily Papers page (seed_papers.json)")
        seed.add_argument("path", type=existing_file)
        default = sub.add_parser("default", help="the real data the site starts with")
        default.add_argument("--data-dir", type=existing_folder, default=None)
        for p in (snap, days, seed, default):
            p.add_argument("--strict", action="store_true", help="exit 2 if anything was skipped")
            p.add_argument("--no-progress", action="store_true")

    def handle(self, *args, source: str, strict: bool, no_progress: bool, **options):
        show = not no_progress
        if source == "snapshot":
            try:
                report = services.snapshot_import(
                    path=options["path"],
                    batch_size=options["batch_size"],
                    only_stored=options["only_stored"],
                    show_progress=show,
                )
            except SnapshotError as exc:
                raise self.fail(
                    f"{exc}. Every batch before it is stored; once the file is whole again, "
                    "the same command resumes after the last one."
                ) from None
            except ReadingProcessError as exc:
                raise self.fail(
                    f"{exc}\nEvery batch before it is stored; the same command resumes "
                    "after the last one."
                ) from None
            reports = [report]
        elif source == "daily-papers":
            reports = [services.daily_papers_import(paths=options["paths"], show_progress=show)]
        elif source == "seed":
            reports = [services.seed_import(path=options["path"], show_progress=show)]
        else:
            data_dir = options["data_dir"] or settings.SHARED_DATA_DIR
            if not data_dir.is_dir():
                raise self.fail(f"no such folder: {data_dir} (set DAILYPAPERS_SHARED_DATA)")
            reports = services.default_data_import(data_dir=data_dir, show_progress=show)
        for report in reports:
            for line in report.summary_lines():
                self.stdout.write(line)
        raise SystemExit(exit_status(reports, strict=strict))
