"""What pseudo relevance feedback costs a hybrid search, in one process.

On the site's default data (benchmarks/_default_site.py), 200 queries (real
topics and the titles of 180 of its papers, as people search) through the
real hybrid search, three rounds, with feedback (the default settings) and
without it (SEARCH_FEEDBACK_DOCS=0) alternately, query embeddings cached as
the site caches them. Prints p50 / p95 ms of each and their ratio; the last
line is one JSON object.

    .venv/bin/python benchmarks/search_feedback.py [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._default_site import default_site  # noqa: E402
from benchmarks.nonsense import REAL  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    default_site(args.data_dir)
    from django.test.utils import override_settings

    from dailypapers.papers.models import Paper
    from dailypapers.search import hybrid
    from dailypapers.search.query import SearchQuery

    titles = list(Paper.objects.order_by("pk").values_list("title", flat=True))
    queries = REAL + random.Random(7).sample(titles, 180)
    timings: dict[str, list[float]] = {"feedback": [], "without": []}
    for text in queries:  # embeds every query once: the cache then holds them
        hybrid.ranked_ids(SearchQuery(text=text))
    for _ in range(args.rounds):
        for text in queries:
            for name, docs in (("feedback", None), ("without", 0)):
                overrides = {} if docs is None else {"SEARCH_FEEDBACK_DOCS": docs}
                with override_settings(**overrides):
                    started = time.perf_counter()
                    hybrid.ranked_ids(SearchQuery(text=text))
                    timings[name].append((time.perf_counter() - started) * 1000)
    result = {"papers": Paper.objects.count(), "queries": len(queries), "rounds": args.rounds}
    for name, values in timings.items():
        cuts = statistics.quantiles(values, n=20)
        result[name] = {"p50_ms": round(cuts[9], 2), "p95_ms": round(cuts[18], 2)}
        print(f"{name}: p50 {cuts[9]:.2f} ms, p95 {cuts[18]:.2f} ms")
    result["p95_ratio"] = round(result["feedback"]["p95_ms"] / result["without"]["p95_ms"], 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
