"""``dailypapers search``: the site's search from a terminal.

    dailypapers search speculative decoding
    dailypapers search "cs.CL summarization" --sort date --limit 5
    dailypapers search 'author:"Yann LeCun"' --json

The same search as the page and the API (keywords and meaning, an arXiv id
or a title first, ``author:`` and categories in the text), on the database
this installation uses; ``--json`` prints one object for scripts.
"""

from __future__ import annotations

import json

from dailypapers import search
from dailypapers.core.commands import Command as BaseCommand
from dailypapers.core.commands import iso_date, positive_int
from dailypapers.core.site import absolute_url


class Command(BaseCommand):
    help = "Search the papers by words and by meaning, as the search page does."

    def add_arguments(self, parser):
        parser.add_argument("words", nargs="+", help="what to look for, as typed in the search box")
        parser.add_argument("--limit", type=positive_int, default=20)
        parser.add_argument("--category", action="append", default=[], help="cs.CL, or cs")
        parser.add_argument("--from", dest="date_from", type=iso_date, help="published from")
        parser.add_argument("--to", dest="date_to", type=iso_date, help="published until")
        parser.add_argument("--code", action="store_true", help="only papers with code")
        parser.add_argument("--sort", choices=search.SORTS, default=search.SORTS[0])
        parser.add_argument("--mode", choices=search.MODES, default=search.MODES[0])
        parser.add_argument("--json", dest="as_json", action="store_true", help="one JSON object")

    def handle(self, *, words, limit, category, date_from, date_to, code, sort, mode, as_json, **_):
        params = {"q": " ".join(words), "category": category, "sort": sort, "mode": mode}
        params.update({"from": str(date_from or ""), "to": str(date_to or "")})
        query = search.from_params({**params, "code": "1" if code else ""})
        if query.is_empty:
            raise self.fail("nothing to search for: give words, an arXiv id or a category")
        results = search.paper_search(query=query, page=1, page_size=limit)
        suggestion = search.spelling_suggestion(query=query)
        if as_json:
            self._print_json(results, suggestion)
        else:
            self._print_text(results, suggestion)

    def _print_json(self, results, suggestion) -> None:
        self.stdout.write(
            json.dumps(
                {
                    "query": results.query.text,
                    "ran": results.mode,
                    "total": results.total,
                    "complete": results.complete,
                    "suggestion": suggestion,
                    "results": [
                        {
                            "id": hit.paper.ref,
                            "title": hit.paper.title,
                            "authors": hit.paper.author_names,
                            "published": hit.paper.published_at
                            and hit.paper.published_at.date().isoformat(),
                            "upvotes": hit.paper.upvote_count,
                            "url": absolute_url(hit.paper.get_absolute_url()),
                            "exact": hit.exact,
                        }
                        for hit in results.hits
                    ],
                },
                ensure_ascii=False,
            )
        )

    def _print_text(self, results, suggestion) -> None:
        if suggestion:
            self.stdout.write(f"Did you mean: {suggestion}")
        if not results.hits:
            self.stdout.write("No papers match.")
            return
        shown = len(results.hits)
        of = f"{results.total}" if results.complete else f"more than {results.total}"
        self.stdout.write(f"{shown} of {of} results ({results.mode}):")
        for rank, hit in enumerate(results.hits, start=1):
            paper = hit.paper
            day = paper.published_at.date().isoformat() if paper.published_at else "-" * 10
            self.stdout.write(
                f"{rank:3}. {paper.ref:<16} {day}  {paper.upvote_count:>4} up  {paper.title}"
            )
