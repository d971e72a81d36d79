"""What benchmarks/votes.py does to its database outside the server.

The Django snippets run each in a process of its own, with Django set up
against the backend's environment (Django binds a process to one database,
and the benchmark goes through several): each reads a JSON payload on stdin
and prints one JSON value last. ``settle`` is the VACUUM ANALYZE after a
bulk load.
"""

from __future__ import annotations

import json
import subprocess
import time

from _harness import BIN, ROOT


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
