"""Votes and trending benchmark: the production server under concurrent voters.

For each backend (a fresh SQLite database, a fresh PostgreSQL database):
  1. imports the arXiv cs snapshot (74,728 papers) and the default Daily
     Papers data, creates 64 members and a signed-in session for each
     (server-side, with a CSRF cookie and header as a browser sends them);
  2. serves it with gunicorn (DEBUG off, RATE_LIMIT_VOTE out of the way) and
     has ``--clients`` members toggle their upvote (``POST /votes/<id>``,
     htmx fragment) on random papers of a hot set of featured papers, so that
     many of them contend for the same rows. Prints toggles/s and p50/p99
     latency, then checks that every paper's upvote_count equals
     upvotes_imported plus its vote rows, that the vote rows are exactly the
     ones the clients' last answers said, and that the trending keys of the
     hot set are current;
  3. features 20,000 more papers on days across the snapshot's period, gives
     a few thousand featured papers synthetic votes from the members, runs
     ``dailypapers trending`` and drives /papers/trending, its page 50 and
     the busiest day sorted by trending.

    .venv/bin/python benchmarks/votes.py [--seconds 15] [--clients 32] [--hot 200] [--backends sqlite,postgres] [--no-vacuum]

On PostgreSQL the script runs VACUUM ANALYZE after each bulk load, as
autovacuum would on a production server (``--no-vacuum`` to skip: then every
trending page counts its papers with a sequential scan of the paper table).

The clients run on the same 2 cores as the server, so the figures are a
floor for what a separate client machine would see.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import SHARED, backend_env, dailypapers, gunicorn, load  # noqa: E402
from _votes_scripts import HOT_SET, MEMBERS, STATS, SYNTHETIC, VERIFY, django_script, settle  # noqa: E402

SNAPSHOT = SHARED / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz"


def _vote_loop(args):
    """One process: a thread per member, each toggling its own upvotes on ``hot``."""
    base, members, hot, seconds, seed = args
    latencies: list[float] = []
    statuses: Counter = Counter()
    expected: list[tuple[int, int]] = []
    unknown: list[tuple[int, int]] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(index: int, user_id: int, sessionid: str):
        rng = random.Random(seed * 1000 + index)
        csrf = secrets.token_hex(16)  # 32 alphanumerics: an unmasked CSRF secret
        voted: dict[int, bool] = {}
        doubtful: set[int] = set()
        local, codes = [], Counter()
        with httpx.Client(
            base_url=base,
            timeout=60,
            cookies={"sessionid": sessionid, "csrftoken": csrf},
            headers={"X-CSRFToken": csrf, "HX-Request": "true"},
        ) as client:
            while time.monotonic() < stop:
                paper = rng.choice(hot)
                up = not voted.get(paper, False)
                start = time.perf_counter()
                try:
                    response = client.post(f"/votes/{paper}", data={"up": "1" if up else "0"})
                    status = response.status_code
                except httpx.HTTPError:
                    status = "exception"
                local.append(time.perf_counter() - start)
                pressed = f'aria-pressed="{"true" if up else "false"}"'
                if status == 200 and pressed in response.text:
                    voted[paper] = up
                    codes["ok"] += 1
                else:
                    # The outcome is unknown: leave this pair out of the check.
                    codes["bad body" if status == 200 else status] += 1
                    doubtful.add(paper)
        with lock:
            latencies.extend(local)
            statuses.update(codes)
            expected.extend((user_id, p) for p, on in voted.items() if on and p not in doubtful)
            unknown.extend((user_id, p) for p in doubtful)

    pool = [
        threading.Thread(target=run, args=(i, user_id, sessionid))
        for i, (user_id, sessionid) in enumerate(members)
    ]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, statuses, expected, unknown


def vote_load(base, members, hot, *, seconds, processes=2):
    processes = min(processes, len(members))
    jobs = [(base, members[i::processes], hot, seconds, i) for i in range(processes)]
    started = time.perf_counter()
    with ProcessPoolExecutor(processes) as pool:
        results = list(pool.map(_vote_loop, jobs))
    elapsed = min(time.perf_counter() - started, seconds + 0.5)
    latencies = sorted(x for r in results for x in r[0])
    statuses = sum((r[1] for r in results), Counter())
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": q[49] * 1000,
        "p99": q[98] * 1000,
        "errors": sum(n for code, n in statuses.items() if code != "ok"),
        "statuses": statuses,
        "expected": [p for r in results for p in r[2]],
        "unknown": [p for r in results for p in r[3]],
    }


def row(name: str, requests: int, rps: float, p50: float, p99: float, errors: int) -> str:
    return f"  {name:<44} {requests:>9} {rps:>8.1f} {p50:>8.1f} {p99:>8.1f} {errors:>7}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15, help="of vote toggling")
    parser.add_argument("--clients", type=int, default=32, help="concurrent voting members")
    parser.add_argument("--members", type=int, default=64)
    parser.add_argument("--hot", type=int, default=200, help="papers the votes go to")
    parser.add_argument("--feature", type=int, default=20_000, help="synthetic featured papers")
    parser.add_argument("--voted-papers", type=int, default=4_000, help="papers given votes")
    parser.add_argument("--page-seconds", type=float, default=10, help="per trending page")
    parser.add_argument("--page-clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument(
        "--no-vacuum",
        action="store_true",
        help="PostgreSQL: measure as loaded, without the VACUUM ANALYZE autovacuum would do",
    )
    args = parser.parse_args()
    if args.clients > args.members:
        parser.error("--clients cannot exceed --members (one session per client)")
    print(
        f"cores={os.cpu_count()} gunicorn workers={args.workers} threads={args.threads} "
        f"vote clients={args.clients} seconds={args.seconds} hot papers={args.hot} "
        f"members={args.members}; page clients={args.page_clients} seconds/page={args.page_seconds}"
    )
    for backend in args.backends.split(","):
        print(f"\n== {backend} ==", flush=True)
        with backend_env(backend) as env:
            try:
                run_backend(args, env)
            finally:
                shutil.rmtree(env["DAILYPAPERS_DATA_DIR"], ignore_errors=True)


def run_backend(args, env: dict) -> None:
    env["DAILYPAPERS_SHARED_DATA"] = str(SHARED)
    env["RATE_LIMIT_VOTE"] = "1000000/m"
    started = time.perf_counter()
    dailypapers(env, "migrate", "-v0")
    dailypapers(env, "import", "snapshot", str(SNAPSHOT), "--no-progress")
    dailypapers(env, "import", "default", "--no-progress")
    dailypapers(env, "collectstatic", "--noinput", "-v0")
    members = django_script(env, MEMBERS, {"members": args.members})
    hot = django_script(env, HOT_SET, {"seed": 11, "hot": args.hot})
    settled = "" if args.no_vacuum else settle(env)
    print(
        f"setup: {hot['papers']:,} papers, {hot['featured']:,} featured, "
        f"{len(members)} members with sessions ({time.perf_counter() - started:.0f} s)"
        + (f"; {settled}" if settled else "")
    )
    print(f"  {'test':<44} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    with gunicorn(env, workers=args.workers, threads=args.threads) as base:
        # Warm-up with reads only: votes would change what is checked.
        load(base, ["/papers/", "/papers/trending"], seconds=2, clients=4)
        r = vote_load(base, members[: args.clients], hot["hot"], seconds=args.seconds)
        print(
            row(
                f"POST /votes/<id> (toggle, {args.hot} hot)",
                r["requests"],
                r["rps"],
                r["p50"],
                r["p99"],
                r["errors"],
            ),
            flush=True,
        )
        if r["errors"]:
            print(f"  answers: {dict(r['statuses'])}")
        check = django_script(
            env,
            VERIFY,
            {"expected": r["expected"], "unknown": r["unknown"], "hot": hot["hot"]},
        )
        exact = check["wrong"] == 0
        print(
            f"counts exact: {'yes' if exact else 'no'} "
            f"({check['papers']:,} papers checked, {check['wrong']} wrong; "
            f"{check['votes']:,} vote rows)"
        )
        print(
            f"votes as the clients last saw them: "
            f"{'yes' if not (check['missing'] or check['extra']) else 'no'} "
            f"({check['missing']} missing, {check['extra']} extra, "
            f"{check['unknown']} pairs unknown after an error)"
        )
        print(
            f"trending keys of the hot set current: "
            f"{'yes' if not check['stale_keys'] else 'no'} ({check['stale_keys']} stale)"
        )

        started = time.perf_counter()
        added = django_script(
            env,
            SYNTHETIC,
            {"seed": 5, "feature": args.feature, "voted_papers": args.voted_papers},
        )
        synthetic_s = time.perf_counter() - started
        started = time.perf_counter()
        dailypapers(env, "trending")
        refresh_s = time.perf_counter() - started
        settled = "" if args.no_vacuum else settle(env)
        stats = django_script(env, STATS)
        print(
            f"synthetic: +{added['listings_added']:,} featured listings, "
            f"+{added['votes_added']:,} votes on {added['voted_papers']:,} papers "
            f"({synthetic_s:.1f} s); trending {refresh_s:.1f} s"
            + (f"; {settled}" if settled else "")
        )
        print(
            f"now: {stats['papers']:,} papers, {stats['featured']:,} featured "
            f"({stats['listings']:,} listings), {stats['keyed']:,} with a trending key, "
            f"{stats['votes']:,} votes on {stats['voted_papers']:,} papers; "
            f"busiest day {stats['busiest_day']} ({stats['busiest_n']} papers)"
        )
        pages = [
            "/papers/trending",
            "/papers/trending?page=50",
            f"/papers/date/{stats['busiest_day']}?sort=trending",
        ]
        load(base, pages, seconds=2, clients=4)  # warm-up
        for page in pages:
            p = load(base, [page], seconds=args.page_seconds, clients=args.page_clients)
            print(
                row(f"GET {page}", p.requests, p.rps, p.p50_ms, p.p99_ms, p.errors),
                flush=True,
            )


if __name__ == "__main__":
    main()
