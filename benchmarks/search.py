"""Search benchmark: latency per mode, index build time and size, ANN recall, against a linear scan.

Scales:
  75k   the real arXiv file (74,728 papers) imported with the real importer;
        vectors are the real model's, embedded once and cached in
        benchmarks/.cache (about 15 minutes the first time on 2 cores).
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
vector index build time and file size, p50/p95 latency of lexical, vector and
hybrid search through the real search code (query embedding included, the
query cache cleared), ANN recall@10 against exact search, and the same
vector and hybrid searches with a linear scan (exact search over every
vector) as the baseline. Peak RSS of this process is printed at the end.

    .venv/bin/python benchmarks/search.py [--scales 75k,1m] [--backends sqlite,postgres]
        [--queries 200] [--vectors perturbed|random] [--known-item-queries N]

Also printed: recall and latency of the approximate index at several search
efforts (IVF cells visited), and how far the keyword postings budget changes
results at this scale: how often a query's own paper is in the top 10, with
the budget and without it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import ROOT, backend_env  # noqa: E402

SNAPSHOT = ROOT.parent / "shared" / "data" / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz"
CACHE = Path(__file__).resolve().parent / ".cache"


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "dailypapers.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def real_rows() -> list[dict]:
    with gzip.open(SNAPSHOT, "rt") as handle:
        return [json.loads(line) for line in handle]


def real_vectors(rows: list[dict]) -> np.ndarray:
    from dailypapers.papers.text import clean_text
    from dailypapers.search import embeddings

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{embeddings.MODEL_NAME}-{len(rows)}.npy"
    if path.exists():
        return np.load(path)
    texts = [
        embeddings.document_text(clean_text(r["title"]), clean_text(r["abstract"])) for r in rows
    ]
    model = embeddings.embedder()
    out = np.zeros((len(texts), embeddings.DIM), dtype=np.float32)
    started = time.perf_counter()
    for start in range(0, len(texts), 2048):
        out[start : start + 2048] = model.embed(texts[start : start + 2048])
        done = start + 2048
        rate = done / (time.perf_counter() - started)
        print(f"  embedding {min(done, len(texts))}/{len(texts)} ({rate:.0f}/s)", flush=True)
    np.save(path, out)
    return out


def synthetic_papers(rows: list[dict], count: int, seed: int = 7):
    """Yield (index of the real paper whose title it has, title, abstract),
    made of real titles and real abstract sentences."""
    rng = random.Random(seed)
    sentences = [
        s
        for r in rows
        for s in re.split(r"(?<=[.!?])\s+", " ".join(r["abstract"].split()))
        if len(s) > 30
    ]
    titles = [" ".join(r["title"].split()) for r in rows]
    for _ in range(count):
        source = rng.randrange(len(titles))
        abstract = " ".join(rng.choice(sentences) for _ in range(rng.randint(4, 8)))
        yield source, titles[source], abstract


def load(scale: str, rows: list[dict]) -> tuple[float, int]:
    """Fill the database; returns (seconds, papers). The full-text index is built as rows go in."""
    from django.db import transaction

    from dailypapers.ingest.services import snapshot_import
    from dailypapers.papers.bulk import NewPaper, insert_papers

    started = time.perf_counter()
    if scale == "75k":
        snapshot_import(path=SNAPSHOT, show_progress=False)
        return time.perf_counter() - started, len(rows)
    batch, total = [], 0
    for n, (_, title, abstract) in enumerate(synthetic_papers(rows, 1_000_000)):
        batch.append(
            NewPaper(
                local_key=f"syn{n}",
                title=title,
                title_key="",
                abstract=abstract,
                metadata_source="benchmark",
            )
        )
        if len(batch) == 10_000:
            with transaction.atomic():
                insert_papers(batch)
            total += len(batch)
            batch = []
            if total % 100_000 == 0:
                print(
                    f"  loaded {total} ({total / (time.perf_counter() - started):.0f}/s)",
                    flush=True,
                )
    return time.perf_counter() - started, total


def analysed(load_result: tuple[float, int]) -> tuple[float, int]:
    """After a bulk load, what autovacuum does within a minute or so, timed
    with the load: on PostgreSQL, VACUUM ANALYZE (the keyword search reads
    common words' counts from ANALYZE, and a vacuum running under the
    searches, as it did in a first run, measures it instead of them)."""
    from django.db import connection

    from dailypapers.search.backends import lexical_backend

    seconds, papers = load_result
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE papers_paper")
    lexical_backend().refresh_statistics()
    return seconds + time.perf_counter() - started, papers


def lexical_size() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT (SELECT coalesce(sum(length(block)), 0) FROM search_fts_data)"
                " + (SELECT coalesce(sum(length(sz)), 0) FROM search_fts_docsize)"
                " + (SELECT count(*) * 24 FROM search_fts_idx)"
            )
        else:
            cursor.execute(
                "SELECT pg_relation_size('search_tsv_gin') + (SELECT sum(pg_column_size(search_tsv)) FROM papers_paper)"
            )
        return int(cursor.fetchone()[0])


def build_vectors(ids: np.ndarray, matrix: np.ndarray) -> tuple[float, int]:
    """Build the vector index in a child process, as the site's worker does;
    this process then loads it, as a web process does. Searched in the
    process that had just built it, the same index scanned its cells more
    slowly (1M, 320 cells: 1.40 ms, against 1.16 ms in a process that only
    loaded it). The time includes the child's start and reading the vectors."""
    import subprocess
    import tempfile

    from django.conf import settings

    from dailypapers.search import embeddings

    with tempfile.TemporaryDirectory(prefix="dp-bench-vectors-") as tmp:
        np.save(Path(tmp) / "ids.npy", ids)
        np.save(Path(tmp) / "matrix.npy", matrix)
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--build-child", tmp], check=True)
        seconds = time.perf_counter() - started
    size = sum(
        p.stat().st_size for p in settings.SEARCH_INDEX_DIR.glob(f"{embeddings.MODEL_NAME}.*")
    )
    return seconds, size


def build_child(folder: str) -> None:
    """The child of build_vectors: Django set up from the inherited environment."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "dailypapers.settings"
    import django

    django.setup()
    from django.conf import settings

    from dailypapers.search import embeddings, vectors

    ids, matrix = np.load(Path(folder) / "ids.npy"), np.load(Path(folder) / "matrix.npy")
    batches = ((ids[s : s + 50_000], matrix[s : s + 50_000]) for s in range(0, len(ids), 50_000))
    vectors.build(
        directory=settings.SEARCH_INDEX_DIR,
        model=embeddings.MODEL_NAME,
        dim=embeddings.DIM,
        batches=batches,
        count=len(ids),
        source="benchmark",
        ann_min_vectors=settings.SEARCH_ANN_MIN_VECTORS,
        ann_kind=settings.SEARCH_ANN_INDEX,
    )


def query_set(rows: list[dict], count: int, seed: int = 11) -> list[tuple[str, str, str]]:
    """Short topics (2-3 words of real titles), whole titles and arXiv ids, like
    real searches: (query, kind, the title of the paper it was taken from)."""
    from dailypapers.search.query import STOPWORDS

    rng = random.Random(seed)
    queries = []
    for i in range(count):
        row = rng.choice(rows)
        words = [
            w
            for w in re.findall(r"[A-Za-z][A-Za-z\-]+", row["title"])
            if w.lower() not in STOPWORDS
        ]
        kind = i % 10
        if kind < 6 and len(words) >= 2:
            start = rng.randrange(0, max(1, len(words) - 2))
            text, kind = " ".join(words[start : start + rng.choice((2, 3))]).lower(), "topic"
        elif kind < 9:
            text, kind = " ".join(row["title"].split()), "title"
        else:
            text, kind = row["id"], "id"
        queries.append((text, kind, " ".join(row["title"].split())))
    return queries


def percentiles(samples: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(samples, n=100)
    return q[49] * 1000, q[94] * 1000


def timed_searches(queries: list[tuple[str, str, str]], mode: str) -> tuple[float, float]:
    from dailypapers.search import embeddings, selectors
    from dailypapers.search.query import SearchQuery

    embeddings._query_vector.cache_clear()
    selectors.ranked_ids(SearchQuery(text="warm up the model", mode=mode))
    embeddings._query_vector.cache_clear()
    samples = []
    for text, _, _ in queries:
        started = time.perf_counter()
        selectors.ranked_ids(SearchQuery(text=text, mode=mode))
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def ann_recall_and_scan(
    queries: list[tuple[str, str, str]], ids: np.ndarray, matrix: np.ndarray
) -> dict:
    from django.conf import settings

    from dailypapers.search import embeddings, fusion, selectors
    from dailypapers.search.backends import lexical_backend
    from dailypapers.search.query import SearchQuery

    index = selectors.vector_index()
    texts = [text for text, _, _ in queries]
    vectors_ = np.stack([embeddings.embedder().embed([q])[0] for q in texts])
    exact_top, scan_times, hybrid_scan = [], [], []
    for text, vector in zip(texts, vectors_, strict=True):
        started = time.perf_counter()
        scores = matrix @ vector
        top = np.argpartition(-scores, 100)[:100]
        exact_ranked = [(int(ids[i]), float(scores[i])) for i in top[np.argsort(-scores[top])]]
        scan_times.append(time.perf_counter() - started)
        exact_top.append({pk for pk, _ in exact_ranked[:10]})
        # Hybrid with a linear scan in place of the ANN index, for the baseline.
        started = time.perf_counter()
        query = SearchQuery(text=text)
        lexical = lexical_backend().search(
            terms=query.terms, filters=query.filters, limit=100, hybrid=True
        )
        embeddings.embedder().embed([text])
        scores = matrix @ vector
        top = np.argpartition(-scores, 100)[:100]
        fusion.weighted(lexical, [(int(ids[i]), float(scores[i])) for i in top], vector_weight=0.5)
        hybrid_scan.append(time.perf_counter() - started)
    # The same queries at several search efforts; the configured one is "ann".
    efforts = {}
    configured = selectors.ann_effort()
    key = "nprobe" if index.meta.kind == "ivf-pq" else "ef"
    for value in sorted({16, 32, 64, 128, 256, 320, 384, 512, configured[key]}):
        effort = {**configured, key: value}
        recalls, times = [], []
        for vector, exact in zip(vectors_, exact_top, strict=True):
            started = time.perf_counter()
            approx = [pk for pk, _ in index.search(vector, 10, **effort)]
            times.append(time.perf_counter() - started)
            recalls.append(len(set(approx) & exact) / 10)
        efforts[value] = (statistics.mean(recalls), percentiles(times))
    recall, ann = efforts[configured[key]]
    return {
        "recall@10": recall,
        "ann": ann,
        "scan": percentiles(scan_times),
        "hybrid_scan": percentiles(hybrid_scan),
        "kind": index.meta.kind,
        "effort_name": key,
        "effort": configured[key],
        "efforts": efforts,
        "budget": settings.SEARCH_POSTINGS_BUDGET,
    }


def known_item(queries: list[tuple[str, str, str]]) -> dict[str, dict[str, float]]:
    """How often a query's own paper (its title) is in the top 10, with the
    postings budget and without it, per mode and kind of query: what the
    budget costs in quality at this scale (the judged collections are too
    small to reach it)."""
    from django.conf import settings

    from dailypapers.papers.models import Paper
    from dailypapers.search import selectors
    from dailypapers.search.query import SearchQuery

    budget = settings.SEARCH_POSTINGS_BUDGET
    out = {}
    for mode in ("lexical", "hybrid"):
        for value in (budget, 0):
            settings.SEARCH_POSTINGS_BUDGET = value
            hits: dict[str, list[bool]] = {"topic": [], "title": []}
            for text, kind, title in queries:
                if kind not in hits:
                    continue
                top = selectors.ranked_ids(SearchQuery(text=text, mode=mode))[0][:10]
                titles = {
                    " ".join(t.split())
                    for t in Paper.objects.filter(pk__in=top).values_list("title", flat=True)
                }
                hits[kind].append(title in titles)
            out[f"{mode}, budget {value or 'off'}"] = {
                k: statistics.mean(v) for k, v in hits.items()
            }
        settings.SEARCH_POSTINGS_BUDGET = budget
    return out


def nearest_neighbour_cosine(matrix: np.ndarray, sample: int = 200, seed: int = 3) -> float:
    """Mean cosine of a sampled vector to its nearest other vector: how tight
    the neighbourhoods are (real and made vectors are compared by it)."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(matrix), size=min(sample, len(matrix)), replace=False)
    best = np.full(len(rows), -1.0, dtype=np.float32)
    probe = matrix[rows].T
    for start in range(0, len(matrix), 100_000):
        sims = matrix[start : start + 100_000] @ probe
        own = (rows >= start) & (rows < start + 100_000)
        sims[rows[own] - start, np.flatnonzero(own)] = -1.0  # not itself
        best = np.maximum(best, sims.max(axis=0))
    return float(best.mean())


def made_vectors(rows: list[dict], count: int, kind: str) -> np.ndarray:
    """Vectors for the synthesised papers (see the module's docstring)."""
    rng = np.random.default_rng(5)
    if kind == "random":
        matrix = rng.standard_normal((count, 384), dtype=np.float32)
    else:
        real = real_vectors(rows)
        sources = np.fromiter(
            (source for source, _, _ in synthetic_papers(rows, count)), dtype=np.int64, count=count
        )
        matrix = real[sources]
        # |noise| = 0.035 * sqrt(384) = 0.69: cosine to the real vector about 0.82.
        for start in range(0, count, 100_000):
            part = matrix[start : start + 100_000]
            part += rng.standard_normal(part.shape, dtype=np.float32) * np.float32(0.035)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix


def run(
    scale: str, backend: str, rows: list[dict], n_queries: int, vector_kind: str, known: int
) -> None:
    with backend_env(backend) as env:
        env["LOG_LEVEL"] = "WARNING"
        setup_django(env)
        from dailypapers.papers.models import Paper

        load_s, papers = analysed(load(scale, rows))
        size = lexical_size()
        ids = np.array(Paper.objects.order_by("pk").values_list("pk", flat=True), dtype=np.int64)
        if scale == "75k":
            by_id = dict(Paper.objects.values_list("arxiv_id", "pk"))
            order = np.array([by_id[r["id"]] for r in rows], dtype=np.int64)
            matrix, ids = real_vectors(rows), order
        else:
            matrix = made_vectors(rows, len(ids), vector_kind)
            print(
                f"[{backend} {scale}] {vector_kind} vectors: nearest-neighbour cosine "
                f"{nearest_neighbour_cosine(matrix):.3f} (the 74,728 real vectors: "
                f"{nearest_neighbour_cosine(real_vectors(rows)):.3f})",
                flush=True,
            )
        build_s, vec_size = build_vectors(ids, matrix)
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
        print(
            f"[{backend} {scale}]   hybrid with a linear scan: p50 {stats['hybrid_scan'][0]:.1f} ms "
            f"p95 {stats['hybrid_scan'][1]:.1f} ms",
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
    import subprocess

    for scale in args.scales.split(","):
        for backend in args.backends.split(","):
            # One process per run: Django binds to one database per process.
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    scale,
                    backend,
                    "--queries",
                    str(args.queries),
                    "--vectors",
                    args.vectors,
                    "--known-item-queries",
                    str(args.known_item_queries),
                ],
                check=True,
            )


if __name__ == "__main__":
    main()
