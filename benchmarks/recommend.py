"""How well "For you" predicts what a member picks next, on real behaviour.

The Daily Papers day files in ../shared/data/hf_daily_papers record who
submitted each paper on which day. For every submitter with at least
--min-submissions submissions and every cut date: the model
(library/recommend.py) is trained on their submissions before the cut, and
ranks the papers featured in the 30 days after it (their earlier picks left
out); the papers they went on to submit in those days are the relevant ones.
recall@20 and nDCG@20 are averaged over (submitter, cut) pairs that have at
least one earlier and one later submission, against two orders measured in
the same run: trending (the site's trending key at the window's end) and
newest first. The two prolific submitters (over 700 submissions) are
reported apart from the rest. Then the same with only each member's last 1,
5 and 50 signals, to show what the model does with few.

Vectors are the real model's, embedded once and cached in benchmarks/.cache
(those of benchmarks/search.py's 75k arXiv papers are reused).

    .venv/bin/python benchmarks/recommend.py [--cuts 2025-01-01,...] [--min-submissions 10]

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
DAYS = Path(__file__).resolve().parents[2] / "shared" / "data" / "hf_daily_papers"
CACHE = Path(__file__).resolve().parent / ".cache"
WINDOW = dt.timedelta(days=30)
K = 20
PROLIFIC = 700
DEFAULT_CUTS = "2024-11-01,2025-03-01,2025-07-01,2025-11-01,2026-03-01"


def read_listings() -> tuple[dict[str, dict], list[tuple[dt.date, str, str]]]:
    """(papers by arXiv id, [(day, arXiv id, submitter)]) through the site's own parser."""
    from dailypapers.ingest.daily_papers import iter_day_records, read_day_file
    from dailypapers.ingest.errors import DayFileError

    papers: dict[str, dict] = {}
    listings = []
    for path in sorted(DAYS.glob("*.json")):
        try:
            day_file = read_day_file(path)
        except DayFileError:
            continue
        for _, found in iter_day_records(day_file):
            if isinstance(found, Exception):
                continue
            record, listing = found
            paper = papers.setdefault(
                record.arxiv_id,
                {
                    "title": record.title,
                    "abstract": record.abstract,
                    "upvotes": 0,
                    "first": listing.day,
                },
            )
            paper["upvotes"] = max(paper["upvotes"], record.upvotes or 0)
            paper["first"] = min(paper["first"], listing.day)
            listings.append((listing.day, record.arxiv_id, listing.submitter_name))
    return papers, listings


def vectors_for(papers: dict[str, dict]) -> dict[str, np.ndarray]:
    from dailypapers.papers.text import clean_text
    from dailypapers.search.vectors import embeddings

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"recommend-{embeddings.MODEL_NAME}.npz"
    found: dict[str, np.ndarray] = {}
    if path.exists():
        stored = np.load(path)
        found = dict(zip(stored["ids"].tolist(), stored["vectors"], strict=True))
    arxiv = CACHE / f"{embeddings.MODEL_NAME}-74728.npy"
    if arxiv.exists():
        from _search_corpus import real_rows

        matrix = np.load(arxiv)
        for row, vector in zip(real_rows(), matrix, strict=True):
            if row["id"] in papers:
                found.setdefault(row["id"], vector)
    missing = [pid for pid in papers if pid not in found]
    if missing:
        model = embeddings.embedder()
        started = time.perf_counter()
        for start in range(0, len(missing), 512):
            part = missing[start : start + 512]
            texts = [
                embeddings.document_text(
                    clean_text(papers[p]["title"]), clean_text(papers[p]["abstract"])
                )
                for p in part
            ]
            for pid, vector in zip(part, model.embed(texts), strict=True):
                found[pid] = vector
            done = start + len(part)
            rate = done / (time.perf_counter() - started)
            print(f"  embedded {done}/{len(missing)} ({rate:.0f}/s)", flush=True)
        ids = sorted(found)
        np.savez(path, ids=np.array(ids), vectors=np.stack([found[i] for i in ids]))
    return found


def ndcg(ranked: list[str], relevant: set[str], k: int = K) -> float:
    gain = sum(1 / math.log2(i + 2) for i, p in enumerate(ranked[:k]) if p in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return gain / ideal if ideal else 0.0


def recall(ranked: list[str], relevant: set[str], k: int = K) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant)


def evaluate(papers, listings, vectors, cuts, min_submissions, last: int | None) -> dict:
    from dailypapers.library import recommend
    from dailypapers.papers.trending import trending_key

    by_submitter: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for day, pid, who in listings:
        if who and pid in vectors:
            by_submitter[who].append((day, pid))
    members = {w: sorted(s) for w, s in by_submitter.items() if len(s) >= min_submissions}
    ids = sorted(vectors)
    row = {pid: n for n, pid in enumerate(ids)}
    matrix = np.stack([vectors[p] for p in ids]).astype(np.float32)
    featured: dict[str, dt.date] = {}
    for day, pid, _ in sorted(listings):
        featured.setdefault(pid, day)
    results: dict[str, dict[str, list[float]]] = {
        "prolific": defaultdict(list),
        "rest": defaultdict(list),
    }
    fit_seconds = []
    for cut in cuts:
        end = cut + WINDOW
        window = [p for p, day in featured.items() if cut <= day < end and p in row]
        before = np.array([row[p] for p, day in featured.items() if day < cut and p in row])
        trending = sorted(
            window,
            key=lambda p: (
                -trending_key(
                    upvotes=papers[p]["upvotes"],
                    comments=0,
                    featured_at=dt.datetime.combine(featured[p], dt.time.min, tzinfo=dt.UTC),
                )
            ),
        )
        newest = sorted(window, key=lambda p: (featured[p], p), reverse=True)
        for _who, picks in members.items():
            train = [p for day, p in picks if day < cut]
            later = {p for day, p in picks if cut <= day < end} - set(train)
            if not train or not later or (last and len(train) < last):
                continue
            train = train[-last:] if last else train
            seen = set(train)
            candidates = [p for p in window if p not in seen]
            positives = matrix[[row[p] for p in train]]
            started = time.perf_counter()
            negatives = recommend.background(
                matrix[before] if len(before) else matrix[:0],
                exclude=np.array([i for i, r in enumerate(before) if ids[r] in seen], dtype=int),
            )
            model = recommend.fit(positives, negatives)
            fit_seconds.append(time.perf_counter() - started)
            scores = model.scores(matrix[[row[p] for p in candidates]])
            for_you = [candidates[i] for i in np.argsort(-scores, kind="stable")]
            group = results["prolific" if len(picks) > PROLIFIC else "rest"]
            for name, ranked in (
                ("for_you", for_you),
                ("trending", [p for p in trending if p not in seen]),
                ("newest", [p for p in newest if p not in seen]),
            ):
                group[f"{name}_recall@20"].append(recall(ranked, later))
                group[f"{name}_ndcg@20"].append(ndcg(ranked, later))
    out = {
        group: {name: round(statistics.mean(v), 4) for name, v in values.items()}
        | {"pairs": len(next(iter(values.values()), []))}
        for group, values in results.items()
    }
    out["fit_ms_p50"] = round(statistics.median(fit_seconds) * 1000, 1) if fit_seconds else None
    out["members"] = len(members)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cuts", default=DEFAULT_CUTS)
    parser.add_argument("--min-submissions", type=int, default=10)
    args = parser.parse_args()
    import django

    django.setup()
    cuts = [dt.date.fromisoformat(c) for c in args.cuts.split(",")]
    papers, listings = read_listings()
    print(f"cores={os.cpu_count()} papers={len(papers)} listings={len(listings)}", flush=True)
    vectors = vectors_for(papers)
    figures = {}
    for last in (None, 1, 5, 50):
        label = "all signals" if last is None else f"last {last} signals"
        result = evaluate(papers, listings, vectors, cuts, args.min_submissions, last)
        figures[label] = result
        for group in ("prolific", "rest"):
            g = result[group]
            if not g.get("pairs"):
                continue
            print(
                f"{label:<16} {group:<8} pairs {g['pairs']:>4}: recall@20 for you "
                f"{g['for_you_recall@20']:.3f}, trending {g['trending_recall@20']:.3f}, "
                f"newest {g['newest_recall@20']:.3f}; nDCG@20 for you {g['for_you_ndcg@20']:.3f}, "
                f"trending {g['trending_ndcg@20']:.3f}, newest {g['newest_ndcg@20']:.3f}",
                flush=True,
            )
        print(
            f"{label:<16} fit p50 {result['fit_ms_p50']} ms, members {result['members']}",
            flush=True,
        )
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
