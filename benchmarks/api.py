"""API benchmark: /api/daily_papers and /api/papers/search on the production server.

For each backend (a fresh SQLite database, a fresh PostgreSQL database):
imports the real default data (the saved page and 580 Daily Papers days,
about 10,000 papers), embeds them so that search is hybrid as in production
(`dailypapers index`), serves with gunicorn (DEBUG off), and drives each
endpoint with concurrent keep-alive clients: daily papers by real day, week
and month (trending sort for months), and searches made of real title words.
Prints requests/s and p50/p99 latency.

    .venv/bin/python benchmarks/api.py [--seconds 15] [--clients 32] [--backends sqlite,postgres]

The clients run on the same 2 cores as the server, so the figures are a
floor for what a separate client machine would see.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import iso_weeks, real_days, sample_entries, serve_and_load  # noqa: E402


def sample_paths(rng: random.Random) -> dict[str, list[str]]:
    days = real_days()
    months = sorted({d[:7] for d in days})
    daily = (
        [f"/api/daily_papers?date={d}&limit=50" for d in days]
        + [f"/api/daily_papers?week={w}&limit=100" for w in iso_weeks(days)]
        + [f"/api/daily_papers?month={m}&sort=trending&limit=100" for m in months]
    )
    words = [
        w
        for e in sample_entries(rng, days)
        for w in e["paper"]["title"].split()
        if len(w) > 4 and w.isalpha()
    ]
    queries = [" ".join(rng.sample(words, rng.randint(1, 4))) for _ in range(300)]
    search = [f"/api/papers/search?q={quote(q)}&limit=20" for q in queries]
    return {"daily_papers": daily, "papers/search": search}


def main() -> None:
    serve_and_load(
        sample_paths,
        clients=32,
        column="endpoint",
        width=14,
        warm_up={"daily_papers": 2, "papers/search": 3},
        # Embedded, so that search is hybrid as in production.
        after_import=(("index", "--no-progress"),),
    )


if __name__ == "__main__":
    main()
