"""Words written two ways: how much of what the papers say a typed word finds.

On a scratch database of ``--backend`` holding the 74,728 arXiv papers of
../shared/data (or ``--data default``, the site's default data), their
words and hyphenated words counted as the worker's job counts them:

- *hyphenated*: the ``--words`` two-part hyphenated words the most papers
  write ("fine-tuning", "zero-shot"), each typed two ways: joined
  ("finetuning") and hyphenated ("fine-tuning"); a paper *holds* the word
  when its title or abstract writes it in any of the three forms (joined,
  hyphenated, two words);
- *regional*: the ``--words`` words the papers spell both the British and
  the American way ("optimisation", "optimization") that the most papers
  write, each typed both ways (the rarer spelling and the commoner); a
  paper holds it in either spelling;
- words compared stemmed, as the indexes stem them ("fine-tuned" holds
  "finetuning": the indexes cannot tell them apart either);
- each typed query's keyword ranking (the site's keyword side, the first
  100, as hybrid search takes it) asked two ways in the same process:
  *before*, the typed words alone, and *after*, with the other form the
  papers write them in (search/variants.py);
- *holding a word asked for*: the share of the papers holding the word
  that hold one of the words asked for, which the keyword side can find
  at all (however far down);
- *found*: of the papers holding the word, how many the first 100 hold,
  out of at most 100 (recall at 100, capped); *first 10*: the share of the
  first 10 holding the word (what a reader sees first; asking for the
  parts must not fill it with papers saying "fine" and "tuning" apart);
- what asking costs: the other forms' lookup per query, median and 95th
  percentile.

    .venv/bin/python benchmarks/variants.py [--backend sqlite] [--data snapshot] [--words 100] [--data-dir DIR]

``--data-dir`` (SQLite) reuses a data directory whose papers are imported
(benchmarks/spelling.py's, say). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._harness import papers_arguments, run_on_papers  # noqa: E402

DEPTH, SHOWN = 100, 10
_DASHES = re.compile(r"[-\u2010\u2011]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    papers_arguments(parser, data="snapshot")
    parser.add_argument("--words", type=int, default=100)
    run_on_papers(parser.parse_args(), measure)


def measure(args) -> None:
    from django.conf import settings

    from dailypapers.papers.models import Paper
    from dailypapers.search import variants
    from dailypapers.search.backends import lexical_backend
    from dailypapers.search.highlight import stem
    from dailypapers.search.models import Compound, Word
    from dailypapers.search.query import Filters, SearchQuery
    from dailypapers.search.services import keyword_index_refresh
    from dailypapers.search.vocabulary import vocabulary_refresh

    # As the worker keeps them: past the postings budget the keyword index
    # ranks (search/backends/keyword_index.py).
    keyword_index_refresh()
    started = time.perf_counter()
    summary = vocabulary_refresh()
    papers = Paper.objects.count()
    print(f"{args.backend}, {papers} papers: {summary} in {time.perf_counter() - started:.1f} s")

    # Each word as the typed forms and the forms a paper holding it writes.
    hyphenated = [
        ((joined, parts.replace(" ", "-")), (joined, parts))
        for joined, parts in Compound.objects.filter(parts__regex=r"^[a-z]+ [a-z]+$")
        .order_by("-papers", "word")
        .values_list("word", "parts")[: args.words]
    ]
    held = dict(Word.objects.values_list("word", "papers"))
    # Each pair as (the rarer spelling, the commoner).
    both = {
        tuple(sorted((word, spelt), key=lambda w: (held[w], w))): n + held[spelt]
        for word, n in held.items()
        for spelt in variants.regional(word)
        if spelt in held and stem(spelt) != stem(word)
    }
    regional = [
        (pair, pair) for pair in sorted(both, key=lambda pair: (-both[pair], pair))[: args.words]
    ]

    # Every paper's words stemmed, hyphens as spaces.
    def stemmed(text: str) -> str:
        return " " + " ".join(stem(w) for w in re.findall(r"\w+", _DASHES.sub(" ", text))) + " "

    texts = {
        pk: stemmed(f"{t} {a}")
        for pk, t, a in Paper.objects.values_list("pk", "title", "abstract").iterator(2000)
    }
    engine = lexical_backend()
    report: dict = {"backend": args.backend, "data": args.data, "papers": papers}
    lookups = []
    for kind, words in (("hyphenated", hyphenated), ("regional", regional)):
        rows, asked_other = [], 0
        for typed_forms, forms in words:
            marks = [stemmed(form) for form in forms]
            holders = {pk for pk, text in texts.items() if any(m in text for m in marks)}
            for n, typed in enumerate(typed_forms):
                query = SearchQuery(text=typed)
                t0 = time.perf_counter()
                after = variants.search_terms(query)
                lookups.append((time.perf_counter() - t0) * 1000)
                asked_other += after != query.terms
                row = {"typed": typed, "form": n}
                for name, terms in (("before", query.terms), ("after", after)):
                    hits = engine.search(terms=terms, filters=Filters(), limit=DEPTH, hybrid=True)
                    found = [pk for pk, _ in hits]
                    asked = [f" {stem(term)} " for term in terms]
                    row[name] = {
                        "reach": sum(any(a in texts[pk] for a in asked) for pk in holders)
                        / max(1, len(holders)),
                        "found": sum(pk in holders for pk in found)
                        / max(1, min(DEPTH, len(holders))),
                        "first10": sum(pk in holders for pk in found[:SHOWN])
                        / max(1, min(SHOWN, len(found))),
                    }
                rows.append(row)
        print(
            f"{kind}: {len(words)} words, each typed two ways; "
            f"the other form asked for in {asked_other} of {len(rows)} queries"
        )
        report[f"{kind}_asked_other"] = asked_other
        for form in (0, 1):
            labels = ("joined", "hyphenated") if kind == "hyphenated" else ("rarer", "commoner")
            label = labels[form]
            for which in ("before", "after"):
                chosen = [r[which] for r in rows if r["form"] == form]
                reach = statistics.fmean(r["reach"] for r in chosen)
                found = statistics.fmean(r["found"] for r in chosen)
                first = statistics.fmean(r["first10"] for r in chosen)
                report[f"{kind}_{form}_{which}_reach"] = round(reach, 3)
                report[f"{kind}_{form}_{which}_found"] = round(found, 3)
                report[f"{kind}_{form}_{which}_first10"] = round(first, 3)
                print(
                    f"  typed {label:10} {which:6}: holding a word asked for {reach:.3f}, "
                    f"in the first 100 {found:.3f}, first 10 holding it {first:.3f}"
                )
        for key in ("reach", "found", "first10"):
            worst = sorted(rows, key=lambda r: (r["after"][key] - r["before"][key], r["typed"]))
            changes = [
                f"{r['typed']} {r['before'][key]:.2f}->{r['after'][key]:.2f}" for r in worst[:5]
            ]
            print(f"  {key}, the five that lost most or gained least:", ", ".join(changes))
    lookups.sort()
    p50, p95 = statistics.median(lookups), lookups[int(0.95 * (len(lookups) - 1))]
    print(f"the other forms' lookup: p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    report.update(
        lookup_ms_p50=round(p50, 2),
        lookup_ms_p95=round(p95, 2),
        budget=settings.SEARCH_POSTINGS_BUDGET,
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
