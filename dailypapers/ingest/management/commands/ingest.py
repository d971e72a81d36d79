"""``dailypapers ingest``: fetch papers from arXiv.

    dailypapers ingest arxiv --since DATE [--until DATE] [--categories cs.CL,cs.LG]
        The daily job (OAI-PMH): papers announced since DATE are stored and
        listed as candidates of their announcement day.
    dailypapers ingest oai --set cs [--from DATE] [--until DATE] [--metadata-prefix arXivRaw]
        A bulk OAI-PMH harvest; resumes where a killed harvest stopped.
    dailypapers ingest ids 2510.06217 astro-ph/0601001 ...
        Papers by id, through the query API.

Exit status: 0 something new arrived, 1 nothing new, 2 failed.
"""

from __future__ import annotations

from django.conf import settings

from dailypapers.core import exits
from dailypapers.core.commands import Command as BaseCommand
from dailypapers.core.commands import iso_date
from dailypapers.ingest import clients, harvest
from dailypapers.ingest.errors import SourceError
from dailypapers.ingest.oai import FORMATS
from dailypapers.ingest.report import exit_status
from dailypapers.papers.identifiers import parse_arxiv_id


def _categories(raw: str) -> list[str]:
    return [c.strip() for c in raw.split(",") if c.strip()]


class Command(BaseCommand):
    help = "Fetch papers from arXiv: arxiv --since DATE | oai --set SET | ids ID..."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="mode", required=True)
        daily = sub.add_parser("arxiv", help="the daily ingest of newly announced papers")
        daily.add_argument("--since", required=True, type=iso_date)
        daily.add_argument("--until", type=iso_date)
        daily.add_argument("--categories", type=_categories, default=None)
        bulk = sub.add_parser("oai", help="a bulk OAI-PMH harvest")
        bulk.add_argument("--set", dest="set_spec", default="")
        bulk.add_argument("--from", dest="from_date", type=iso_date)
        bulk.add_argument("--until", type=iso_date)
        ids = sub.add_parser("ids", help="papers by arXiv id, through the query API")
        ids.add_argument("ids", nargs="+")
        for p in (daily, bulk):
            p.add_argument("--metadata-prefix", choices=FORMATS, default="arXiv")
            p.add_argument("--endpoint", default=None, help="OAI-PMH base URL")
        ids.add_argument("--endpoint", default=None, help="query API URL")
        for p in (daily, bulk, ids):
            p.add_argument("--no-progress", action="store_true")

    def handle(self, *args, mode: str, **options):
        try:
            if mode == "ids":
                raise SystemExit(self._ids(options["ids"], endpoint=options["endpoint"]))
            oai = clients.oai_client(url=options["endpoint"])
            show = not options["no_progress"]
            if mode == "arxiv":
                report = harvest.arxiv_ingest(
                    oai=oai,
                    since=options["since"],
                    until=options["until"],
                    categories=options["categories"] or settings.ARXIV_CATEGORIES,
                    metadata_prefix=options["metadata_prefix"],
                    show_progress=show,
                )
            else:
                report = harvest.oai_harvest(
                    oai=oai,
                    metadata_prefix=options["metadata_prefix"],
                    set_spec=options["set_spec"],
                    from_date=options["from_date"],
                    until=options["until"],
                    show_progress=show,
                )
        except SourceError as exc:
            raise self.fail(f"arXiv ingest failed: {exc}") from None
        for line in report.summary_lines():
            self.stdout.write(line)
        raise SystemExit(exit_status([report], strict=False))

    def _ids(self, raw_ids: list[str], *, endpoint: str | None) -> int:
        """Fetch the ids that are arXiv ids; name the others and go on without them."""
        ids = [raw for raw in raw_ids if parse_arxiv_id(raw)]
        for raw in raw_ids:
            if raw not in ids:
                self.stdout.write(f"  {raw[:80]}: not an arXiv id (like 2510.06217), skipped")
        if not ids:
            raise self.fail("none of the ids is an arXiv id (like 2510.06217 or hep-th/9901001)")
        result = harvest.arxiv_fetch(api=clients.arxiv_api(url=endpoint), ids=ids)
        self.stdout.write(
            f"arXiv query API: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
        return exits.DONE if result.changed else exits.NOTHING_NEW
