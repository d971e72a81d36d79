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

import argparse
import os
import random
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import (  # noqa: E402
    SHARED,
    backend_env,
    dailypapers,
    gunicorn,
    iso_weeks,
    load,
    real_days,
    sample_entries,
)


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
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    paths = sample_paths(random.Random(7))
    print(
        f"cores={os.cpu_count()} clients={args.clients} gunicorn workers={args.workers} "
        f"threads={args.threads} seconds/endpoint={args.seconds}"
    )
    print(f"{'backend':<10} {'endpoint':<14} {'requests':>9} {'req/s':>8} {'p50 ms':>8} "
          f"{'p99 ms':>8} {'errors':>7}")  # fmt: skip
    for backend in args.backends.split(","):
        with backend_env(backend) as env:
            env["DAILYPAPERS_SHARED_DATA"] = str(SHARED)
            dailypapers(env, "migrate", "-v0")
            dailypapers(env, "import", "default", "--no-progress")
            dailypapers(env, "index", "--no-progress")
            dailypapers(env, "collectstatic", "--noinput", "-v0")
            with gunicorn(env, workers=args.workers, threads=args.threads) as base:
                load(base, paths["daily_papers"][:20], seconds=2, clients=4)  # warm-up
                load(base, paths["papers/search"][:20], seconds=3, clients=4)
                for name, urls in paths.items():
                    r = load(base, urls, seconds=args.seconds, clients=args.clients)
                    print(
                        f"{backend:<10} {name:<14} {r.requests:>9} {r.rps:>8.1f} {r.p50_ms:>8.1f} "
                        f"{r.p99_ms:>8.1f} {r.errors:>7}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
