"""An embedded search engine built for top-k BM25, measured for the keyword side.

Issue 19's goal 4: at a million papers the postings budget that keeps SQLite
FTS5 and PostgreSQL tsvector within the latency target costs quality (a topic
query's own paper in the top 10). Both engines score every posting of every
query word; tantivy skips most of them (block-max WAND) and still returns the
exact BM25 top k. This script measures what that is worth on the same
papers and queries as benchmarks/search.py (the same generator and seeds):
index build time and size, p50/p95 of the top 10 and of the top 100 (what a
hybrid search asks of its keyword side), and how often a query's own paper is
in the top 10. Compare with search.py's "own paper in the top 10" lines for
the budgeted and unbudgeted FTS5 / tsvector rankings of the same queries.

    .venv/bin/python benchmarks/keyword_engine.py [--scales 75k,1m] [--queries 200]

Two layouts are measured: title and text in two fields with the title boosted
(a BoostQuery around each title term), and one field holding the title twice
then the abstract (a flat union of term queries, which is what block-max WAND
prunes). Needs ``pip install tantivy`` (not a dependency of the site).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
from _search_corpus import real_rows, synthetic_papers  # noqa: E402
from _search_measures import percentiles, query_set  # noqa: E402

# The title's weight against the text's, as SEARCH_FIELD_WEIGHTS gives FTS5
# (title 2, body 1): in one field, the title is written twice.
TITLE_BOOST = 2.0


def corpus(scale: str, rows: list[dict]):
    """(source row, title, abstract) in the order benchmarks/search.py loads them."""
    if scale == "75k":
        for n, row in enumerate(rows):
            yield n, " ".join(row["title"].split()), " ".join(row["abstract"].split())
    else:
        yield from synthetic_papers(rows, 1_000_000)


def build(folder: str, layout: str, papers) -> tuple[float, list[int]]:
    import tantivy

    schema = tantivy.SchemaBuilder()
    if layout == "two fields":
        schema.add_text_field("title", tokenizer_name="en_stem")
    schema.add_text_field("text", tokenizer_name="en_stem")
    schema.add_integer_field("n", stored=True, fast=True)
    index = tantivy.Index(schema.build(), path=folder)
    writer = index.writer(heap_size=500_000_000)
    sources = []
    started = time.perf_counter()
    for n, (source, title, abstract) in enumerate(papers):
        sources.append(source)
        if layout == "two fields":
            doc = tantivy.Document(n=n, title=title, text=f"{title} {abstract}")
        else:
            doc = tantivy.Document(n=n, text=f"{title} {title} {abstract}")
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - started, sources


def searcher_for(folder: str, layout: str):
    import tantivy

    index = tantivy.Index.open(folder)
    index.reload()
    searcher = index.searcher()
    fields = ["title", "text"] if layout == "two fields" else ["text"]
    boosts = {"title": TITLE_BOOST} if layout == "two fields" else None

    def search(terms: list[str], limit: int) -> list[int]:
        query = index.parse_query(" ".join(terms), fields, field_boosts=boosts)
        hits = searcher.search(query, limit).hits
        return [searcher.doc(address)["n"][0] for _, address in hits]

    return search


def folder_size(folder: str) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def measure(scale: str, layout: str, rows: list[dict], queries, known: int) -> None:
    import django

    django.setup()
    from dailypapers.search.query import SearchQuery

    folder = tempfile.mkdtemp(prefix="tantivy-")
    try:
        seconds, sources = build(folder, layout, corpus(scale, rows))
        size = folder_size(folder)
        search = searcher_for(folder, layout)
        titles = [" ".join(r["title"].split()) for r in rows]
        terms = [SearchQuery(text=text).terms for text, _, _ in queries]
        search(["warm", "up"], 10)
        timings = {}
        for limit in (10, 100):
            samples = []
            for words in terms:
                started = time.perf_counter()
                search(words, limit)
                samples.append(time.perf_counter() - started)
            timings[limit] = percentiles(samples)
        own: dict[str, list[bool]] = {"topic": [], "title": []}
        for (_, kind, title), words in zip(queries[: known or None], terms, strict=False):
            if kind in own:
                own[kind].append(any(titles[sources[n]] == title for n in search(words, 10)))
        label = f"[tantivy {layout} {scale}]"
        print(
            f"{label} {len(sources)} papers indexed in {seconds:.1f} s "
            f"({len(sources) / seconds:.0f}/s), {size / 2**20:.0f} MB",
            flush=True,
        )
        for limit, (p50, p95) in timings.items():
            print(f"{label}   top {limit:<3} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms", flush=True)
        print(
            f"{label}   own paper in the top 10: "
            + ", ".join(f"{k} queries {statistics.mean(v):.3f}" for k, v in own.items()),
            flush=True,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="75k,1m")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--layouts", default="one field,two fields")
    # search.py's --known-item-queries: its own-paper figures use the first N.
    parser.add_argument("--known-item-queries", type=int, default=100, help="0: all")
    args = parser.parse_args()
    print(f"cores={os.cpu_count()} queries={args.queries}", flush=True)
    rows = real_rows()
    queries = query_set(rows, args.queries)
    for scale in args.scales.split(","):
        for layout in args.layouts.split(","):
            measure(scale, layout, rows, queries, args.known_item_queries)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
