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

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import iso_weeks, real_days, sample_entries, serve_and_load  # noqa: E402


def sample_paths(rng: random.Random) -> dict[str, list[str]]:
    days = real_days()
    ids = [e["paper"]["id"] for e in sample_entries(rng, days)]
    return {
        "day": [f"/papers/date/{d}" for d in days],
        "week": [f"/papers/week/{w}" for w in iso_weeks(days)],
        "paper": [f"/papers/{i}" for i in rng.sample(ids, min(300, len(ids)))],
    }


def main() -> None:
    serve_and_load(sample_paths, clients=16, column="page", width=6, warm_up={"day": 2})


if __name__ == "__main__":
    main()
