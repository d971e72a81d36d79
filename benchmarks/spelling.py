"""Spelling suggestions: how often a typo gets its word back, how often a
query spelt right is "corrected", and what counting the words costs.

On a scratch database of ``--backend`` (sqlite or postgresql) holding
``--data``: ``default``, the site's default data (the real Daily Papers days,
about 9,900 papers), or ``snapshot``, the 74,728 arXiv papers of
../shared/data; their words counted as the worker's job counts them:

- *count*: the job's time over the database (twice: the second as every
  later round runs, the table already there);
- *typos*: topic queries (2-3 words of real titles, as benchmarks/search.py
  asks, and the 20 real topics of benchmarks/nonsense.py), each with one
  word given one random edit (a letter dropped, added, changed, or two
  neighbours swapped; seeded); a typo is *fixed* when the suggestion is the
  query as it was, *missed* when there is none, *wrong* when it is
  something else;
- *spelt right*: the same queries as they are; any suggestion is a false one;
- the suggestion's time per query (median and 95th percentile);
- counting alone: the words and hyphenated words of the 74,728 arXiv
  papers read from the file, papers per second and the process's peak
  memory.

    .venv/bin/python benchmarks/spelling.py [--backend sqlite] [--data default] [--queries 500] [--data-dir DIR]

``--data-dir`` (SQLite) reuses a data directory (benchmarks/nonsense.py's,
say): the import skips what is already there; no embedding is needed here.

The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._harness import ARXIV_SNAPSHOT, papers_arguments, run_on_papers  # noqa: E402
from benchmarks._search_measures import query_set  # noqa: E402
from benchmarks.nonsense import REAL  # noqa: E402

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word))
    kind = rng.choice(("drop", "add", "change", "swap"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "add":
        return word[:i] + rng.choice(LETTERS) + word[i:]
    if kind == "change":
        return word[:i] + rng.choice(LETTERS.replace(word[i], "")) + word[i + 1 :]
    i = min(i, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    papers_arguments(parser)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument(
        "--edits", type=int, default=1, help="random edits given to the typo's word (1 or 2)"
    )
    run_on_papers(parser.parse_args(), measure)


def measure(args) -> None:
    from dailypapers.papers.models import Paper
    from dailypapers.search import spelling, vocabulary
    from dailypapers.search.query import STOPWORDS, SearchQuery
    from dailypapers.search.vocabulary import vocabulary_refresh

    papers = Paper.objects.count()
    refresh_s = []
    for _ in range(2):
        started = time.perf_counter()
        summary = vocabulary_refresh()
        refresh_s.append(time.perf_counter() - started)
    print(
        f"{args.backend}, {papers} papers: {summary} in {refresh_s[0]:.1f} s, then {refresh_s[1]:.1f} s"
    )

    # Sorted: the same queries from the same papers on either backend.
    titles = sorted(Paper.objects.values_list("title", flat=True))
    rows = [{"title": t, "id": ""} for t in titles]
    queries = [q for q, kind, _ in query_set(rows, args.queries) if kind == "topic"]
    queries = list(dict.fromkeys([*queries, *REAL]))
    rng = random.Random(7)

    def eligible(word: str) -> bool:
        return len(word) >= spelling.MIN_LENGTH and word.isalpha() and word not in STOPWORDS

    outcomes = {"fixed": 0, "missed": 0, "wrong": 0}
    wrong_examples, times = [], []
    false = [q for q in queries if spelling.spelling_suggestion(query=SearchQuery(text=q))]
    for query in queries:
        words = query.split()
        at = [i for i, w in enumerate(words) if eligible(w)]
        if not at:
            continue
        i = rng.choice(at)
        wrong = words[i]
        for _ in range(args.edits):
            wrong = typo(wrong, rng)
        typed = " ".join([*words[:i], wrong, *words[i + 1 :]])
        started = time.perf_counter()
        got = spelling.spelling_suggestion(query=SearchQuery(text=typed))
        times.append((time.perf_counter() - started) * 1000)
        if got is None:
            outcomes["missed"] += 1
        elif got.casefold() == query.casefold():
            outcomes["fixed"] += 1
        else:
            outcomes["wrong"] += 1
            wrong_examples.append(f"{typed} -> {got} (was {query})")
    typos = sum(outcomes.values())
    print(
        f"typos: {typos} queries, fixed {outcomes['fixed']}, missed {outcomes['missed']}, "
        f"wrong {outcomes['wrong']}; spelt right: {len(false)} of {len(queries)} given a suggestion"
    )
    print("wrong, first 15:", *wrong_examples[:15], sep="\n  ")
    print("false suggestions:", *false[:15], sep="\n  ")
    times.sort()
    p50, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
    print(f"suggestion time: p50 {p50:.2f} ms, p95 {p95:.2f} ms")

    with gzip.open(ARXIV_SNAPSHOT, "rt") as lines:
        arxiv = [json.loads(line) for line in lines]
    texts = [
        (r["title"], r["abstract"], [" ".join(a) for a in r.get("authors_parsed", [])])
        for r in arxiv
    ]
    started = time.perf_counter()
    counts, names, joined = vocabulary.count_papers(texts)
    count_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"counting {len(arxiv)} arXiv papers: {count_s:.1f} s ({len(arxiv) / count_s:.0f} papers/s), "
        f"{len(counts)} words kept ({len(names)} of names), {len(joined)} hyphenated words; "
        f"peak memory {peak_mb:.0f} MB "
        "(the papers' text held in memory included)"
    )
    print(
        json.dumps(
            {
                "backend": args.backend,
                "edits": args.edits,
                "papers": papers,
                "refresh_s": [round(t, 2) for t in refresh_s],
                "queries": len(queries),
                "typos": typos,
                **outcomes,
                "false_suggestions": len(false),
                "suggestion_ms_p50": round(p50, 2),
                "suggestion_ms_p95": round(p95, 2),
                "arxiv_papers": len(arxiv),
                "count_papers_per_s": round(len(arxiv) / count_s),
                "arxiv_words_kept": len(counts),
                "peak_mb": round(peak_mb),
            }
        )
    )


if __name__ == "__main__":
    main()
