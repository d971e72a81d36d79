"""``dailypapers index``: embed papers and (re)build the search indexes.

dailypapers index             embed what is new or changed; rebuild the vector
                              index if the vectors, the model or its dimension
                              changed (safe at every start: otherwise it only reads)
dailypapers index --force     rebuild the vector index even if it looks current
dailypapers index --lexical   rebuild the full-text index and the keyword index too

The keyword index (search/backends/keyword_index.py) is brought up to date
each time.
"""

from __future__ import annotations

from dailypapers.core.commands import Command as BaseCommand
from dailypapers.search import services
from dailypapers.search.backends import lexical_backend


class Command(BaseCommand):
    help = "Embed new papers and rebuild the search indexes where needed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="rebuild the vector index regardless"
        )
        parser.add_argument(
            "--lexical", action="store_true", help="rebuild the full-text index as well"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, force: bool, lexical: bool, no_progress: bool, **options):
        if lexical:
            lexical_backend().rebuild()
            self.stdout.write("full-text index rebuilt")
        self.stdout.write(services.keyword_index_refresh(full=lexical))
        report = services.index_if_needed(show_progress=not no_progress, force=force)
        self.stdout.write(report.summary())
