"""Search benchmark: latency per mode, index build time and size, ANN recall, against a linear scan.

Scales:
  75k   the real arXiv file (74,728 papers) imported with the real importer;
        vectors are the real model's, the papers read whole (--tokens 256,
        as the site keeps them) or to 128 tokens (--tokens 128, half the
        time), embedded once and cached in benchmarks/.cache: 70 minutes
        to 3 hours the first time on 2 cores, read whole.
  1m    1,000,000 papers synthesised from the real abstracts: each a real
        title with a random real abstract's sentences recombined. Embedding
        1M texts would take days on this machine, so their vectors are made:
        --vectors perturbed (default): the real vector of the paper whose
        title it carries, plus Gaussian noise (cosine about 0.8 to it), so
        the million vectors have the topical neighbourhoods of real ones (the
        run prints nearest-neighbour cosines of both to compare); --vectors
        random: random unit vectors, the worst case for an ANN index.
        Queries are embedded by the real model either way.

For each scale and backend (a fresh SQLite database; a fresh PostgreSQL
database): load time including the full-text index, full-text index size,
the keyword index's build time and size (tantivy, as the worker builds it),
vector index build time and file size, p50/p95 latency of lexical, vector and
hybrid search through the real search code (query embedding included, the
query cache cleared), ANN recall@10 against exact search, and the same
vector and hybrid searches with a linear scan (exact search over every
vector) as the baseline. Peak RSS of this process is printed at the end.

    .venv/bin/python benchmarks/search.py [--scales 75k,1m] [--backends sqlite,postgres]
        [--queries 200] [--vectors perturbed|random] [--known-item-queries N]
        [--tokens 256|128]

Also printed: recall and latency of the approximate index at several search
efforts (IVF cells visited), and how far the keyword postings budget changes
results at this scale: how often a query's own paper is in the top 10 with
the budget (past it, the keyword index's exact ranking or the database's
bounded one) and without it, with hybrid also fused by min-max and run
without feedback as baselines in the same run, and the topic queries whose
own paper the keyword side finds and hybrid does not (or the reverse).
Last, "For you" at this scale:
a member with 1,000 saved papers, their model's training time and the
page's ranking p50 / p95 (_search_measures.for_you_timing).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import backend_env  # noqa: E402
from _search_corpus import (  # noqa: E402
    analysed,
    build_child,
    build_vectors,
    keyword_index_size,
    lexical_size,
    load,
    made_vectors,
    nearest_neighbour_cosine,
    real_rows,
    real_vectors,
)
from _search_measures import (  # noqa: E402
    ann_recall_and_scan,
    for_you_timing,
    known_item,
    own_paper_losses,
    query_set,
    timed_searches,
)

# The children (--child, and --build-child from _search_corpus) are started as
# this script, whose main() dispatches them, whichever module starts them.
SCRIPT = str(Path(__file__).resolve())


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dailypapers.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def run(
    scale: str,
    backend: str,
    rows: list[dict],
    n_queries: int,
    vector_kind: str,
    known: int,
    *,
    tokens: int,
) -> None:
    with backend_env(backend) as env:
        env["LOG_LEVEL"] = "WARNING"
        setup_django(env)
        from dailypapers.papers.models import Paper
        from dailypapers.search.backends import keyword_index

        load_s, papers = analysed(load(scale, rows))
        size = lexical_size()
        started = time.perf_counter()
        keyword_index.refresh()
        print(
            f"[{backend} {scale}] keyword index (tantivy) built in "
            f"{time.perf_counter() - started:.1f} s, {keyword_index_size() / 2**20:.0f} MB",
            flush=True,
        )
        ids = np.array(Paper.objects.order_by("pk").values_list("pk", flat=True), dtype=np.int64)
        if scale == "75k":
            by_id = dict(Paper.objects.values_list("arxiv_id", "pk"))
            order = np.array([by_id[r["id"]] for r in rows], dtype=np.int64)
            matrix, ids = real_vectors(rows, tokens=tokens), order
        else:
            matrix = made_vectors(rows, len(ids), vector_kind, tokens=tokens)
            print(
                f"[{backend} {scale}] {vector_kind} vectors: nearest-neighbour cosine "
                f"{nearest_neighbour_cosine(matrix):.3f} (the 74,728 real vectors: "
                f"{nearest_neighbour_cosine(real_vectors(rows, tokens=tokens)):.3f})",
                flush=True,
            )
        build_s, vec_size = build_vectors(ids, matrix, SCRIPT)
        queries = query_set(rows, n_queries)
        print(
            f"[{backend} {scale}] {papers} papers; load, full-text index and statistics {load_s:.1f} s "
            f"({papers / load_s:.0f}/s), full-text index {size / 2**20:.0f} MB; vector index "
            f"{build_s:.1f} s, {vec_size / 2**20:.0f} MB",
            flush=True,
        )
        for mode in ("lexical", "vector", "hybrid"):
            p50, p95 = timed_searches(queries, mode)
            print(
                f"[{backend} {scale}]   {mode:<8} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms", flush=True
            )
        stats = ann_recall_and_scan(queries, ids, matrix)
        print(
            f"[{backend} {scale}]   ANN ({stats['kind']}, {stats['effort_name']} "
            f"{stats['effort']}) recall@10 {stats['recall@10']:.3f}; "
            f"ANN p50 {stats['ann'][0]:.2f} ms vs linear scan p50 {stats['scan'][0]:.1f} ms "
            f"({stats['scan'][0] / stats['ann'][0]:.0f}x)",
            flush=True,
        )
        for value, (recall, (p50, p95)) in stats["efforts"].items():
            print(
                f"[{backend} {scale}]     {stats['effort_name']} {value:>4}: recall@10 "
                f"{recall:.3f}, p50 {p50:.2f} ms, p95 {p95:.2f} ms",
                flush=True,
            )
        for label, rates in known_item(queries[: known or None]).items():
            print(
                f"[{backend} {scale}]   own paper in the top 10, {label}: "
                + ", ".join(f"{kind} queries {rate:.3f}" for kind, rate in rates.items()),
                flush=True,
            )
        parted = own_paper_losses(queries[: known or None])
        print(
            f"[{backend} {scale}]   topic queries, keyword side against hybrid: "
            + ", ".join(
                f"{name} {value:.3f}" if isinstance(value, float) else f"{name} {value}"
                for name, value in parted.items()
            ),
            flush=True,
        )
        print(
            f"[{backend} {scale}]   hybrid with a linear scan: p50 {stats['hybrid_scan'][0]:.1f} ms "
            f"p95 {stats['hybrid_scan'][1]:.1f} ms",
            flush=True,
        )
        mine = for_you_timing(ids, matrix)
        print(
            f"[{backend} {scale}]   for you, a member with {mine['signals']} saved papers: model "
            f"{mine['kind']} trained in {mine['train_p50_s']:.2f} s (p50 of 5); page ranking "
            f"p50 {mine['page'][0]:.1f} ms p95 {mine['page'][1]:.1f} ms ({mine['picks']} picks)",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="75k,1m")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--vectors", choices=("perturbed", "random"), default="perturbed")
    # Without the budget a query on PostgreSQL at 1M can take seconds: fewer there.
    parser.add_argument("--known-item-queries", type=int, default=0, help="0: all")
    # The real papers read to 128 tokens embed in half the time of reading
    # them whole (the site's steady state): for a machine too slow to wait.
    parser.add_argument("--tokens", type=int, choices=(128, 256), default=256)
    parser.add_argument("--child", nargs=2, metavar=("SCALE", "BACKEND"), help=argparse.SUPPRESS)
    parser.add_argument("--build-child", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_child:
        build_child(args.build_child)
        return
    if args.child:
        run(
            args.child[0],
            args.child[1],
            real_rows(),
            args.queries,
            args.vectors,
            args.known_item_queries,
            tokens=args.tokens,
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        built = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"[{args.child[1]} {args.child[0]}]   peak RSS {peak:.0f} MB "
            f"(the index build's process: {built:.0f} MB)",
            flush=True,
        )
        return
    print(f"cores={os.cpu_count()} queries={args.queries}", flush=True)
    for scale in args.scales.split(","):
        for backend in args.backends.split(","):
            # One process per run: Django binds to one database per process.
            subprocess.run(
                [
                    sys.executable,
                    SCRIPT,
                    "--child",
                    scale,
                    backend,
                    "--queries",
                    str(args.queries),
                    "--vectors",
                    args.vectors,
                    "--known-item-queries",
                    str(args.known_item_queries),
                    "--tokens",
                    str(args.tokens),
                ],
                check=True,
            )


if __name__ == "__main__":
    main()
