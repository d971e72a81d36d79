"""Known-item search by meaning on recent computer-science papers: what
reading a paper whole (the model's 256 tokens) buys over its first 128.

The judged collections' documents are short; arXiv abstracts are not (a
title and abstract run about 250 tokens), and the first reading stops at
128. This finds each of ``--papers`` recent CS papers (every ``--every``-th
of ../shared/data's arxiv_cs file) among all of them by meaning alone, the
vectors read to 128 tokens and whole, with queries as the site embeds them:

- *title*: the paper's title as the query, its title and abstract the paper,
  as the site stores it (the site also pins an exact title first);
- *half*: the first half of its abstract (by words) as the query, its title
  and the second half the paper (the related-papers case: another text on
  the same work).

Prints MRR@10 and the share found first for each, with the difference's
95% interval over the queries (paired bootstrap, 2,000 resamples, seeded).

    .venv/bin/python benchmarks/known_item.py [--papers 3000] [--every 23]

The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._harness import SHARED  # noqa: E402

SOURCE = SHARED / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz"


def sample(papers: int, every: int) -> list[tuple[str, str]]:
    found = []
    with gzip.open(SOURCE, "rt") as lines:
        for n, line in enumerate(lines):
            if n % every == 0:
                row = json.loads(line)
                found.append((" ".join(row["title"].split()), " ".join(row["abstract"].split())))
                if len(found) == papers:
                    break
    return found


def halved(abstract: str) -> tuple[str, str]:
    words = abstract.split()
    return " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])


def reciprocal_ranks(queries: np.ndarray, papers: np.ndarray) -> np.ndarray:
    """1/rank of query i's own paper i within the first 10, else 0."""
    scores = queries @ papers.T
    own = scores[np.arange(len(scores)), np.arange(len(scores))]
    rank = 1 + (scores > own[:, None]).sum(axis=1)
    return np.where(rank <= 10, 1.0 / rank, 0.0)


def interval(first: np.ndarray, whole: np.ndarray) -> tuple[float, float]:
    rng = np.random.default_rng(19)
    picks = rng.integers(0, len(first), size=(2000, len(first)))
    gains = whole[picks].mean(axis=1) - first[picks].mean(axis=1)
    return float(np.percentile(gains, 2.5)), float(np.percentile(gains, 97.5))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=3000)
    parser.add_argument("--every", type=int, default=23)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    with tempfile.TemporaryDirectory(prefix="dailypapers-known-item-") as scratch:
        os.environ["DAILYPAPERS_DATA_DIR"] = scratch
        import django

        django.setup()
        from dailypapers.search.vectors import embeddings

        model = embeddings.Embedder(threads=2)
        rows = sample(args.papers, args.every)
        halves = [halved(abstract) for _, abstract in rows]
        tasks = {
            "title": (
                [title for title, _ in rows],
                [embeddings.document_text(title, abstract) for title, abstract in rows],
            ),
            "half": (
                [first for first, _ in halves],
                [
                    embeddings.document_text(title, rest)
                    for (title, _), (_, rest) in zip(rows, halves, strict=True)
                ],
            ),
        }
        tokens = np.array(model.tokens(tasks["title"][1]))
        print(
            f"{len(rows)} papers; title and abstract: median {np.median(tokens):.0f} tokens, "
            f"{(tokens > embeddings.FIRST_READING).mean():.0%} longer than "
            f"{embeddings.FIRST_READING}, {(tokens >= embeddings.WINDOW).mean():.0%} "
            f"cut at {embeddings.WINDOW}"
        )
        figures = {}
        for name, (queries, papers) in tasks.items():
            # A query is embedded on its own, as a search embeds it.
            asked = np.stack([model.embed([q], batch_size=1)[0] for q in queries])
            first = reciprocal_ranks(
                asked, model.embed(papers, max_tokens=embeddings.FIRST_READING)
            )
            whole = reciprocal_ranks(asked, model.embed(papers, max_tokens=embeddings.WINDOW))
            low, high = interval(first, whole)
            figures[name] = {
                "mrr10_first_reading": round(float(first.mean()), 4),
                "mrr10_whole": round(float(whole.mean()), 4),
                "found_first_first_reading": round(float((first == 1).mean()), 4),
                "found_first_whole": round(float((whole == 1).mean()), 4),
                "gain_interval": [round(low, 4), round(high, 4)],
            }
            f = figures[name]
            print(
                f"{name:>6}: MRR@10 {f['mrr10_first_reading']:.4f} at "
                f"{embeddings.FIRST_READING} tokens, {f['mrr10_whole']:.4f} whole "
                f"({f['mrr10_whole'] - f['mrr10_first_reading']:+.4f}, 95% interval "
                f"{low:+.4f} to {high:+.4f}); found first {f['found_first_first_reading']:.1%} "
                f"and {f['found_first_whole']:.1%}"
            )
        print(json.dumps({"papers": len(rows), "tasks": figures}))


if __name__ == "__main__":
    main()
