"""Digest benchmark: compose and send 10,000 personalised digests to a local SMTP sink.

Per backend (a fresh SQLite database; a fresh PostgreSQL database): imports
the real Daily Papers days of one week, creates 10,000 active subscriptions
with varied personal settings (top N from 3 to 15, categories, include and
exclude keywords, saved searches for a tenth of them, three time zones),
then times one `send_due()`: planning the 10,000 outbox rows, composing each
digest, rendering its three templates, and handing it to a real SMTP server
(aiosmtpd, in its own process, discarding what it counts). Prints
messages/s, the time of each phase, and the peak RSS of the sending process.
Target on this 2-core machine: 10,000 in at most 60 s.

With --for-you the same subscribers then become members, each with a "For
you" model (the centroid of five of the week's papers, as the worker would
train it for a new member), a tenth following an author and a tenth with a
negative keyword; the outbox is emptied and the same day's digests are sent
again, now with their "For you" section. Both times and their ratio are
printed (target: at most 2x).

    .venv/bin/python benchmarks/digests.py [--subscribers 10000] [--backends sqlite,postgres]
        [--processes 3] [--for-you]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import ROOT, backend_env, free_port  # noqa: E402

DAYS = ROOT.parent / "shared" / "data" / "hf_daily_papers"
WEEK = [dt.date(2025, 10, 6) + dt.timedelta(days=i) for i in range(5)]
DAY = WEEK[2]  # the day the digests cover
NOW = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)

SINK = """
import asyncio, sys
from aiosmtpd.controller import Controller

class Count:
    n = 0
    async def handle_DATA(self, server, session, envelope):
        Count.n += 1
        return "250 OK"
    async def handle_QUIT(self, server, session, envelope):
        return "221 Bye"

handler = Count()
controller = Controller(handler, hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
for line in sys.stdin:
    print(Count.n, flush=True)
"""


class Sink:
    def __init__(self) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SINK, str(self.port)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.proc.stdout.readline().strip() == "ready"

    def count(self) -> int:
        self.proc.stdin.write("?\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def stop(self) -> None:
        self.proc.kill()


def child(backend: str, subscribers: int, sink_port: int, processes: int, for_you: bool) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "dailypapers.settings"
    os.environ.update(
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(sink_port), EMAIL_USE_TLS="0",
        DIGEST_MAX_PER_SECOND="0", SEARCH_EMBEDDINGS="0",
    )  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command

    from dailypapers.digests.delivery import send_due
    from dailypapers.digests.models import Delivery, Subscription
    from dailypapers.ingest.services import daily_papers_import

    call_command("migrate", verbosity=0)
    daily_papers_import(paths=[DAYS / f"{d}.json" for d in WEEK], show_progress=False)
    rng = random.Random(11)
    categories = ["cs.CL", "cs.LG", "cs.CV", "cs.AI", "stat.ML", "cs", "eess", "cs.RO"]
    words = ["language", "vision", "agent", "diffusion", "reasoning", "robot", "speech",
             "benchmark", "efficient", "graph", "video", "retrieval"]  # fmt: skip
    searches = ["reinforcement learning agents", "video generation", "mixture of experts",
                "retrieval augmented generation", "reasoning models"]  # fmt: skip
    zones = ["UTC", "Europe/London", "Europe/Paris"]
    confirmed = NOW - dt.timedelta(days=30)
    Subscription.objects.bulk_create(
        [
            Subscription(
                email=f"reader{i}@example.org",
                status="active",
                confirmed_at=confirmed,
                cadence="daily",
                time_zone=rng.choice(zones),
                top_n=rng.randint(3, 15),
                categories=" ".join(rng.sample(categories, rng.randint(0, 2))),
                include_keywords=", ".join(rng.sample(words, rng.randint(0, 2))),
                exclude_keywords=", ".join(rng.sample(words, rng.randint(0, 1))),
                saved_searches=rng.sample(searches, 1) if rng.random() < 0.1 else [],
            )  # fmt: skip
            for i in range(subscribers)
        ],
        batch_size=1000,
    )
    started = time.perf_counter()
    report = send_due(now=NOW, processes=processes)
    done = time.perf_counter()
    planned = report.planned
    # The largest of this process and the sender processes it forked.
    rss = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF,
              resource.RUSAGE_CHILDREN)) / 1024  # fmt: skip
    sent = Delivery.objects.filter(status="sent").count()
    print(
        f"RESULT planned={planned} sent={report.sent} empty={report.empty} failed={report.failed} "
        f"retried={report.retried} sent_rows={sent} "
        f"total_s={done - started:.2f} rss_mb={rss:.0f}",
        flush=True,
    )
    if for_you:
        members(rng)
        Delivery.objects.all().delete()
        started = time.perf_counter()
        again = send_due(now=NOW, processes=processes)
        print(f"FOR_YOU sent={again.sent} total_s={time.perf_counter() - started:.2f}", flush=True)


def members(rng: random.Random) -> None:
    """Every subscriber a member with a trained "For you" model (see the docstring)."""
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from dailypapers.digests.models import Subscription
    from dailypapers.library.models import Follow, Taste
    from dailypapers.papers.models import Paper
    from dailypapers.search.models import Embedding
    from dailypapers.search.services import embeddings_refresh
    from dailypapers.search.vectors import embeddings

    embeddings_refresh()
    vectors = Embedding.objects.vectors(
        Paper.objects.values_list("pk", flat=True), model=embeddings.MODEL_NAME
    )
    ids = list(vectors)
    names = [n for p in Paper.objects.all() for n in p.author_names]
    User = get_user_model()
    subs = list(Subscription.objects.order_by("pk"))
    users = User.objects.bulk_create(
        [User(username=f"reader{i}", email=s.email) for i, s in enumerate(subs)], batch_size=1000
    )
    for sub, user in zip(subs, users, strict=True):
        sub.user = user
    Subscription.objects.bulk_update(subs, ["user"], batch_size=1000)
    now = timezone.now()
    tastes = []
    for user in users:
        centre = np.mean([vectors[pk] for pk in rng.sample(ids, 5)], axis=0)
        weights = (centre / np.linalg.norm(centre)).astype(np.float32)
        tastes.append(Taste(user=user, model=embeddings.MODEL_NAME, kind="centroid",
                            weights=weights.tobytes(), positives=5, changed_at=now, trained_at=now))  # fmt: skip
    Taste.objects.bulk_create(tastes, batch_size=1000)
    follows = [Follow(user=u, kind="author", value=rng.choice(names)) for u in users[::10]]
    follows += [
        Follow(user=u, kind="muted", value=rng.choice(["video", "robot", "speech"]))
        for u in users[5::10]
    ]
    Follow.objects.bulk_create(follows, batch_size=1000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--processes", type=int, default=3, help="sender processes")
    parser.add_argument("--for-you", action="store_true", help="then again as members")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child[:1], *map(int, args.child[1:4]), args.child[4] == "1")
        return
    for backend in args.backends.split(","):
        sink = Sink()
        try:
            with backend_env(backend) as env:
                out = subprocess.run(
                    [sys.executable, __file__, "--child", backend, str(args.subscribers),
                     str(sink.port), str(args.processes), "1" if args.for_you else "0"],
                    env=env, capture_output=True, text=True, check=True,
                )  # fmt: skip
            line = next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT"))
            values = dict(item.split("=") for item in line.split()[1:])
            second = [ln for ln in out.stdout.splitlines() if ln.startswith("FOR_YOU")]
            received = sink.count()
        finally:
            sink.stop()
        total = float(values["total_s"])
        sent = int(values["sent"])
        print(f"\n== {backend}: {args.subscribers:,} subscribers")
        print(
            f"  planned {int(values['planned']):,} outbox rows; {args.processes} sender process(es)"
        )
        print(f"  sent {sent:,} (empty {values['empty']}, failed {values['failed']}, "
              f"retried {values['retried']}); the SMTP sink received {received:,}")  # fmt: skip
        print(f"  plan + compose + render + send: {total:.1f} s -> {sent / total:,.0f} messages/s")
        print(f"  peak RSS of the sending process: {values['rss_mb']} MB ")
        print(f"  target <= 60 s for 10,000: {'met' if total <= 60 else 'NOT met'}")
        if second:
            again = dict(item.split("=") for item in second[0].split()[1:])
            seconds = float(again["total_s"])
            print(f"  the same, as members with For you: {int(again['sent']):,} sent in "
                  f"{seconds:.1f} s, {seconds / total:.2f}x (target <= 2x)")  # fmt: skip


if __name__ == "__main__":
    main()
