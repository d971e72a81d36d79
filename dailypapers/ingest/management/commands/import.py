"""``dailypapers import``: load papers from files.

    dailypapers import seed PATH            a saved Daily Papers page
    dailypapers import daily-papers PATH..  Daily Papers API day files or folders
    dailypapers import default              both, from DAILYPAPERS_SHARED_DATA

Every import is idempotent. Unusable entries are skipped and named in the
summary; ``--strict`` turns any of them into exit status 2 for scripts.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dailypapers.ingest import services
from dailypapers.ingest.report import ImportReport

EXIT_PROBLEMS = 2


class Command(BaseCommand):
    help = "Import papers: seed PATH | daily-papers PATH... | default"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="source", required=True)
        seed = sub.add_parser("seed", help="a saved Daily Papers page (seed_papers.json)")
        seed.add_argument("path", type=Path)
        days = sub.add_parser("daily-papers", help="Daily Papers API day files or folders")
        days.add_argument("paths", type=Path, nargs="+")
        default = sub.add_parser("default", help="the real data the site starts with")
        default.add_argument("--data-dir", type=Path, default=None)
        for p in (seed, days, default):
            p.add_argument("--strict", action="store_true", help="exit 2 if anything was skipped")
            p.add_argument("--no-progress", action="store_true")

    def handle(self, *args, source: str, strict: bool, no_progress: bool, **options):
        show = not no_progress
        if source == "seed":
            reports = [services.seed_import(path=options["path"], show_progress=show)]
        elif source == "daily-papers":
            missing = [str(p) for p in options["paths"] if not p.exists()]
            if missing:
                raise CommandError(f"no such file or folder: {', '.join(missing)}")
            reports = [services.daily_papers_import(paths=options["paths"], show_progress=show)]
        else:
            data_dir = options["data_dir"] or settings.SHARED_DATA_DIR
            if not data_dir.is_dir():
                raise CommandError(f"data folder {data_dir} does not exist")
            reports = services.default_data_import(data_dir=data_dir, show_progress=show)
        self._summarise(reports)
        if strict and any(report.problems for report in reports):
            raise SystemExit(EXIT_PROBLEMS)

    def _summarise(self, reports: list[ImportReport]) -> None:
        for report in reports:
            for line in report.summary_lines():
                self.stdout.write(line)
