"""Feed benchmark: the production server under concurrent readers.

Imports the real default data (the saved page and 580 Daily Papers days)
into a fresh SQLite database and a fresh PostgreSQL database, serves each
with gunicorn (DEBUG off), and drives day, week and paper pages with
concurrent keep-alive clients. Prints requests/s and p50/p99 latency.

    .venv/bin/python benchmarks/feed.py [--seconds 15] [--clients 16] [--backends sqlite,postgres]

The clients run on the same 2 cores as the server, so the figures are a
floor for what a separate client machine would see.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

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
    ids = [e["paper"]["id"] for e in sample_entries(rng, days)]
    return {
        "day": [f"/papers/date/{d}" for d in days],
        "week": [f"/papers/week/{w}" for w in iso_weeks(days)],
        "paper": [f"/papers/{i}" for i in rng.sample(ids, min(300, len(ids)))],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    paths = sample_paths(random.Random(7))
    print(
        f"cores={os.cpu_count()} clients={args.clients} gunicorn workers={args.workers} threads={args.threads} "
        f"seconds/page={args.seconds}"
    )
    print(
        f"{'backend':<10} {'page':<6} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
    )
    for backend in args.backends.split(","):
        with backend_env(backend) as env:
            env["DAILYPAPERS_SHARED_DATA"] = str(SHARED)
            dailypapers(env, "migrate", "-v0")
            dailypapers(env, "import", "default", "--no-progress")
            dailypapers(env, "collectstatic", "--noinput", "-v0")
            with gunicorn(env, workers=args.workers, threads=args.threads) as base:
                load(base, paths["day"][:20], seconds=2, clients=4)  # warm-up
                for page, urls in paths.items():
                    r = load(base, urls, seconds=args.seconds, clients=args.clients)
                    print(
                        f"{backend:<10} {page:<6} {r.requests:>9} {r.rps:>8.1f} {r.p50_ms:>8.1f} {r.p99_ms:>8.1f} {r.errors:>7}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
