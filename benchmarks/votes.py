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
     ``dailypapers trending --refresh`` and drives /papers/trending, its page
     50 and the busiest day sorted by trending.

    .venv/bin/python benchmarks/votes.py [--seconds 15] [--clients 32] [--hot 200] [--backends sqlite,postgres] [--no-vacuum]

On PostgreSQL the script runs VACUUM ANALYZE after each bulk load, as
autovacuum would on a production server (``--no-vacuum`` to skip: then every
trending page counts its papers with a sequential scan of the paper table).

The clients run on the same 2 cores as the server, so the figures are a
floor for what a separate client machine would see.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import BIN, ROOT, SHARED, backend_env, dailypapers, gunicorn, load  # noqa: E402

SNAPSHOT = SHARED / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz"


def django_script(env: dict, code: str, payload=None):
    """Run ``code`` with Django set up against ``env``; it prints one JSON value last."""
    prologue = (
        "import json, sys, django\n"
        "django.setup()\n"
        "payload = json.loads(sys.stdin.read() or 'null')\n"
    )
    proc = subprocess.run(
        [str(BIN / "python"), "-c", prologue + code],
        env={**env, "DJANGO_SETTINGS_MODULE": "dailypapers.settings"},
        cwd=ROOT,
        input=json.dumps(payload),
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"django script failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


MEMBERS = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
User = get_user_model()
User.objects.bulk_create(
    [User(username=f"bench{i:03d}", email=f"bench{i:03d}@example.org",
          password=make_password(None)) for i in range(payload["members"])]
)
out = []
for user in User.objects.filter(username__startswith="bench").order_by("pk"):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    out.append([user.pk, session.session_key])
print(json.dumps(out))
"""

HOT_SET = """
import random
from dailypapers.papers.models import Listing, Paper
featured = sorted(set(
    Listing.objects.filter(status=Listing.Status.FEATURED, is_hidden=False)
    .values_list("paper_id", flat=True)
))
print(json.dumps({
    "papers": Paper.objects.count(),
    "featured": len(featured),
    "hot": random.Random(payload["seed"]).sample(featured, payload["hot"]),
}))
"""

VERIFY = """
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from dailypapers.community.models import Vote
from dailypapers.papers.models import Paper
from dailypapers.papers.trending import trending_refresh
votes = (
    Vote.objects.filter(paper=OuterRef("pk")).order_by().values("paper")
    .annotate(c=Count("pk")).values("c")
)
checked = Paper.objects.annotate(n=Coalesce(Subquery(votes), 0))
wrong = checked.exclude(upvote_count=F("upvotes_imported") + F("n")).count()
rows = set(map(tuple, Vote.objects.values_list("user_id", "paper_id")))
expected = set(map(tuple, payload["expected"]))
unknown = set(map(tuple, payload["unknown"]))
rows_known = {pair for pair in rows if pair not in unknown}
stale = trending_refresh(paper_ids=payload["hot"])  # recomputes and reports what differed
print(json.dumps({
    "papers": Paper.objects.count(),
    "wrong": wrong,
    "votes": len(rows),
    "missing": len(expected - rows_known),
    "extra": len(rows_known - expected),
    "unknown": len(unknown),
    "stale_keys": stale,
}))
"""

SYNTHETIC = """
import datetime as dt, random
from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from dailypapers.community.models import Vote
from dailypapers.papers.models import Listing, Paper
rng = random.Random(payload["seed"])
users = list(get_user_model().objects.filter(username__startswith="bench").values_list("pk", flat=True))
featured = set(Listing.objects.filter(status=Listing.Status.FEATURED).values_list("paper_id", flat=True))
pool = [
    (pk, at) for pk, at in Paper.objects.filter(published_at__isnull=False)
    .order_by("pk").values_list("pk", "published_at") if pk not in featured
]
chosen = rng.sample(pool, min(payload["feature"], len(pool)))
listings = []
for pk, at in chosen:
    day = at.date() + dt.timedelta(days=rng.randint(0, 2))
    submitted = dt.datetime.combine(day, dt.time(6), tzinfo=dt.timezone.utc) + dt.timedelta(
        minutes=rng.randint(0, 16 * 60))
    listings.append(Listing(
        paper_id=pk, day=day, status=Listing.Status.FEATURED, source=Listing.Source.SUBMISSION,
        submitted_by_id=rng.choice(users), submitted_at=submitted,
    ))
Listing.objects.bulk_create(listings, batch_size=2000, ignore_conflicts=True)
featured = sorted(set(Listing.objects.filter(status=Listing.Status.FEATURED).values_list("paper_id", flat=True)))
voted = rng.sample(featured, min(payload["voted_papers"], len(featured)))
votes = []
for pk in voted:
    k = min(len(users), max(1, int(rng.paretovariate(1.1))))
    votes += [Vote(user_id=u, paper_id=pk) for u in rng.sample(users, k)]
Vote.objects.bulk_create(votes, batch_size=2000, ignore_conflicts=True)
count = (
    Vote.objects.filter(paper=OuterRef("pk")).order_by().values("paper")
    .annotate(c=Count("pk")).values("c")
)
for start in range(0, len(voted), 500):
    Paper.objects.filter(pk__in=voted[start:start + 500]).update(
        upvote_count=F("upvotes_imported") + Coalesce(Subquery(count), 0)
    )
print(json.dumps({"listings_added": len(listings), "voted_papers": len(voted), "votes_added": len(votes)}))
"""

STATS = """
from django.db.models import Count
from dailypapers.community.models import Vote
from dailypapers.papers.models import Listing, Paper
featured = Listing.objects.filter(status=Listing.Status.FEATURED, is_hidden=False)
busiest = featured.values("day").annotate(n=Count("paper_id", distinct=True)).order_by("-n", "day").first()
print(json.dumps({
    "papers": Paper.objects.count(),
    "featured": featured.values("paper_id").distinct().count(),
    "listings": featured.count(),
    "keyed": Paper.objects.filter(trending_key__isnull=False).count(),
    "votes": Vote.objects.count(),
    "voted_papers": Vote.objects.values("paper_id").distinct().count(),
    "busiest_day": str(busiest["day"]),
    "busiest_n": busiest["n"],
}))
"""


def settle(env: dict) -> str:
    """PostgreSQL: VACUUM ANALYZE, which autovacuum does unasked after bulk writes.

    Without it a freshly loaded database has no statistics and no visibility
    map, and counts read the whole table: figures a production server, where
    autovacuum runs, would not see. Returns what was done, to be printed.
    """
    if "DATABASE_URL" not in env:
        return ""
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        autovacuum = conn.execute("SHOW autovacuum").fetchone()[0]
        started = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
    return f"VACUUM ANALYZE {time.perf_counter() - started:.1f} s (server autovacuum={autovacuum})"


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
    dailypapers(env, "createcachetable", "-v0")
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
        dailypapers(env, "trending", "--refresh")
        refresh_s = time.perf_counter() - started
        settled = "" if args.no_vacuum else settle(env)
        stats = django_script(env, STATS)
        print(
            f"synthetic: +{added['listings_added']:,} featured listings, "
            f"+{added['votes_added']:,} votes on {added['voted_papers']:,} papers "
            f"({synthetic_s:.1f} s); trending --refresh {refresh_s:.1f} s"
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
