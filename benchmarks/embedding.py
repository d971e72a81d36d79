"""Embedding papers: throughput and peak memory by batch size and reading.

Embeds real papers (every ``--every``-th of the recent computer-science
arXiv papers in ../shared/data, title and abstract as the worker embeds
them) with the shipped model on two threads, in batches of each size given
and read to each number of tokens given (the first reading's 128, the
model's whole window of 256); each setting in a process of its own, so that
its peak RSS is its own, and the settings interleaved over ``--rounds``
rounds, so that a busy machine slows them alike. Prints papers/s (the
median of the rounds) and the peak RSS for each, and their ratios to the
first setting (the baseline).

    .venv/bin/python benchmarks/embedding.py [--papers 1000] [--batches 32,8,4,1]
        [--tokens 128,256] [--rounds 3]

The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._harness import SHARED  # noqa: E402

SOURCE = SHARED / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz"

ONE_SIZE = """
import json, os, resource, sys, time
import django
django.setup()
from dailypapers.search.vectors import embeddings
texts = json.load(open(sys.argv[1]))
batch, tokens = int(sys.argv[2]), int(sys.argv[3])
model = embeddings.Embedder(threads=2)
model.embed(texts[:16], batch_size=batch, max_tokens=tokens)  # the graph's first run
started = time.perf_counter()
model.embed(texts, batch_size=batch, max_tokens=tokens)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"papers_per_s": len(texts) / seconds, "peak_mb": peak}))
"""


def sample(papers: int, every: int) -> list[str]:
    from dailypapers.search.vectors.embeddings import document_text

    texts = []
    with gzip.open(SOURCE, "rt") as lines:
        for n, line in enumerate(lines):
            if n % every == 0:
                row = json.loads(line)
                texts.append(document_text(" ".join(row["title"].split()), row["abstract"]))
                if len(texts) == papers:
                    break
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=1000)
    parser.add_argument("--every", type=int, default=37)
    parser.add_argument("--batches", default="32,8,4,1")
    parser.add_argument("--tokens", default="128")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    settings = [
        (int(size), int(tokens))
        for size in args.batches.split(",")
        for tokens in args.tokens.split(",")
    ]
    with tempfile.TemporaryDirectory(prefix="dailypapers-embedding-") as scratch:
        env = {**os.environ, "DAILYPAPERS_DATA_DIR": scratch}
        texts = Path(scratch) / "texts.json"
        texts.write_text(json.dumps(sample(args.papers, args.every)))
        # The int8 graph is made once per data directory (and costs memory
        # then): made here, not in the first size's process.
        make = "import django; django.setup(); from dailypapers.search.vectors import embeddings; embeddings.Embedder()"
        subprocess.run([sys.executable, "-c", make], env=env, check=True)
        runs: dict[tuple[int, int], list[dict]] = {setting: [] for setting in settings}
        for _ in range(args.rounds):
            for size, tokens in settings:
                out = subprocess.run(
                    [sys.executable, "-c", ONE_SIZE, str(texts), str(size), str(tokens)],
                    env=env,
                    check=True,
                    stdout=subprocess.PIPE,
                    text=True,
                ).stdout
                runs[size, tokens].append(json.loads(out.strip().splitlines()[-1]))
    figures = {
        setting: {
            "papers_per_s": round(statistics.median(r["papers_per_s"] for r in rs), 1),
            "peak_mb": round(max(r["peak_mb"] for r in rs)),
        }
        for setting, rs in runs.items()
    }
    base = figures[settings[0]]
    print(
        f"{args.papers} papers, {args.rounds} rounds, two threads; ratios against "
        f"batch {settings[0][0]} at {settings[0][1]} tokens"
    )
    print(f"{'batch':>6} {'tokens':>6} {'papers/s':>9} {'ratio':>6} {'peak RSS':>9} {'ratio':>6}")
    for (size, tokens), f in figures.items():
        speed = f["papers_per_s"] / base["papers_per_s"]
        memory = f["peak_mb"] / base["peak_mb"]
        print(
            f"{size:>6} {tokens:>6} {f['papers_per_s']:>9} {speed:>5.2f}x "
            f"{f['peak_mb']:>6} MB {memory:>5.2f}x"
        )
    rows = [{"batch": b, "tokens": t, **f} for (b, t), f in figures.items()]
    print(json.dumps({"papers": args.papers, "settings": rows}))


if __name__ == "__main__":
    main()
