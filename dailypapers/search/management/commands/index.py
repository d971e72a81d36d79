"""``dailypapers index``: embed papers and (re)build the search indexes.

dailypapers index             embed what is new or changed; rebuild the vector
                              index if the vectors, the model or its dimension
                              changed (safe at every start: otherwise it only reads)
dailypapers index --force     rebuild the vector index even if it looks current
dailypapers index --lexical   rebuild the full-text index, the keyword index and
                              the papers' words (spelling suggestions, words
                              the papers write two ways) too
dailypapers index --follow --loop
                              embed nothing: keep this host's index files up to
                              what the database holds (an app server that shares
                              no volume with the worker; docs/operations.md)

The keyword index (search/backends/keyword_index.py) is brought up to date
each time.
"""

from __future__ import annotations

from dailypapers.core.commands import LoopCommand
from dailypapers.search import services, vocabulary
from dailypapers.search.backends import lexical_backend


class Command(LoopCommand):
    help = "Embed new papers and rebuild the search indexes where needed."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--force", action="store_true", help="rebuild the vector index regardless"
        )
        parser.add_argument(
            "--lexical",
            action="store_true",
            help="rebuild the full-text index, the keyword index and the words as well",
        )
        parser.add_argument(
            "--follow",
            action="store_true",
            help="embed nothing: build this host's index files from the vectors and papers "
            "the database holds (an app server sharing no volume with the worker)",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle_round(self, *, force: bool, lexical: bool, follow: bool, no_progress: bool, **_):
        if follow:
            if force or lexical:
                raise self.fail(
                    "--follow builds from what the worker stored: no --force or --lexical"
                )
            self.stdout.write(services.index_files_refresh())
            return
        if lexical:
            lexical_backend().rebuild()
            self.stdout.write("full-text index rebuilt")
            self.stdout.write(vocabulary.vocabulary_refresh())
        self.stdout.write(services.keyword_index_refresh(full=lexical))
        report = services.index_if_needed(show_progress=not no_progress, force=force)
        self.stdout.write(report.summary())
