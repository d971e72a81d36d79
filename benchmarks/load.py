"""Load benchmark: the site as `dailypapers run` serves it, under wrk.

Per backend, a fresh database with the real default data (9,917 papers),
every paper embedded (`dailypapers index`, timed: issue 21's "searchable by
meaning" on these cores), then `dailypapers run --no-worker` with its
default workers, driven by wrk (Debian's package) from the same two cores.
Per page type (day, week, month, trending, paper, search; random real URLs):

- cached: visitors not signed in, every URL asked before by every worker
  (the page cache warm), as readers of a running site find it between two
  changes;
- uncached: the same with the page cache off (PAGE_CACHE_SECONDS=0), what
  every first request of a page costs;
- signed in: a member with votes and saved papers, every URL asked before
  by every worker (their pages are never cached whole; what every reader
  sees of them is kept per process until the next change).

Each runs twice: "saturated", 32 connections asking as fast as answers come
(req/s is the site's capacity; latency is then mostly queueing: by Little's
law 32 clients at R req/s wait 32/R s on average), and "paced", 32
connections each pausing a think time between an answer and its next request
so that together they ask the target rate (500 req/s anonymous, 150
signed in): the latency readers see at that rate. wrk's own CPU (user +
system, in cores) and the server's are printed beside each row.

    .venv/bin/python benchmarks/load.py [--backends sqlite,postgres] [--seconds 15]
        [--modes cached,uncached,signed-in] [--pages day,week,...] [--cache-url redis://...]

Needs wrk (`apt-get install wrk`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import (  # noqa: E402
    BIN,
    SHARED,
    backend_env,
    dailypapers,
    iso_weeks,
    real_days,
    sample_entries,
    served,
)

CONNECTIONS = 32
WARMING_CONNECTIONS = 8
# The default data imported and embedded once (SQLite), reused by later runs
# and by PostgreSQL's, which takes the vectors from it instead of embedding again.
PREPARED = Path(__file__).resolve().parent / ".cache" / "load-sqlite"

COPY_VECTORS = """
import datetime as dt, sqlite3, sys
from dailypapers.papers.models import Paper
from dailypapers.search.models import Embedding
source = sqlite3.connect(sys.argv[1])
rows = source.execute(
    "SELECT p.arxiv_id, p.title_key, e.model, e.text_hash, e.vector, e.window, e.embedded_at "
    "FROM search_embedding e JOIN papers_paper p ON p.id = e.paper_id").fetchall()
by_arxiv = dict(Paper.objects.exclude(arxiv_id=None).values_list("arxiv_id", "pk"))
by_title = dict(Paper.objects.filter(arxiv_id=None).values_list("title_key", "pk"))
made = [
    Embedding(paper_id=by_arxiv.get(a) or by_title.get(t), model=m, text_hash=h,
              vector=bytes(v), window=w,
              embedded_at=dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC))
    for a, t, m, h, v, w, at in rows if by_arxiv.get(a) or by_title.get(t)
]
Embedding.objects.bulk_create(made, batch_size=1000)
print(len(made))
"""
TARGET = {"cached": 500, "uncached": 500, "signed-in": 150}
PAGES = ("day", "week", "month", "trending", "paper", "search")

LUA = """
local paths = %(paths)s
local headers = %(headers)s
local think_ms = %(think_ms)f
math.randomseed(%(seed)d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
if think_ms > 0 then
  delay = function()
    return -math.log(1 - math.random()) * think_ms
  end
end
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %%d, "us": %%d, "p50": %%d, "p99": %%d, "errors": %%d, "status": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status))
end
"""


def sample_paths(rng: random.Random) -> dict[str, list[str]]:
    days = real_days()
    entries = sample_entries(rng, days)
    ids = [e["paper"]["id"] for e in entries]
    titles = [e["paper"].get("title", "") for e in entries]
    words = [
        [w for w in re.findall(r"[a-z]{4,}", t.lower()) if w not in ("with", "from", "that")]
        for t in titles
    ]
    queries = sorted({" ".join(w[:2]) for w in words if len(w) >= 2})
    months = sorted({d[:7] for d in days})
    return {
        "day": [f"/papers/date/{d}" for d in rng.sample(days, min(200, len(days)))],
        "week": [f"/papers/week/{w}" for w in iso_weeks(days)],
        "month": [f"/papers/month/{m}" for m in months],
        "trending": ["/papers/trending"] + [f"/papers/trending?page={p}" for p in range(2, 6)],
        "paper": [f"/papers/{i}" for i in rng.sample(ids, min(300, len(ids)))],
        "search": [
            "/papers/search?" + httpx.QueryParams(q=q).__str__()
            for q in rng.sample(queries, min(200, len(queries)))
        ],
    }


def member_session(env: dict) -> str:
    """A member who has upvoted and saved some papers; their session key."""
    code = """
import random
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from dailypapers.community.services import vote_set
from dailypapers.library.services import entry_set
from dailypapers.papers.models import Listing
user = get_user_model().objects.create_user("reader", "reader@example.org", "a long pass phrase 42")
ids = list(Listing.objects.values_list("paper_id", flat=True).distinct()[:3000])
for pk in random.Random(3).sample(ids, 60):
    vote_set(user=user, paper_id=pk, up=True)
    entry_set(user=user, paper_id=pk, saved=True)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""
    out = subprocess.run(
        [str(BIN / "dailypapers"), "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def site(env: dict, *, page_cache: bool):
    """`dailypapers run --no-worker` with its default workers; (base URL, server pid)."""
    return served({**env, "PAGE_CACHE_SECONDS": "600" if page_cache else "0"})


def warm(base: str, urls: list[str], *, cookie: str) -> None:
    """Every URL asked before, by every worker: a running site's pages have
    been. Each worker keeps what it read and rendered for every reader until
    the next change (pages/page_cache.py, read_once); one connection lands on
    one worker (a listening socket each), so eight connections ask every URL,
    and each worker is all but sure to get one of them (1 in 128 it does not)."""
    headers = {"Cookie": cookie} if cookie else {}

    def ask_all(_) -> None:
        with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
            for url in urls:
                client.get(url)

    with ThreadPoolExecutor(WARMING_CONNECTIONS) as pool:
        list(pool.map(ask_all, range(WARMING_CONNECTIONS)))


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children so far."""
    total = 0.0
    try:
        root = psutil.Process(pid)
        for proc in [root, *root.children(recursive=True)]:
            times = proc.cpu_times()
            total += times.user + times.system
    except psutil.NoSuchProcess:
        pass
    return total


def wrk(base: str, paths: list[str], *, seconds: float, rate: float, cookie: str, seed: int):
    """One wrk run (rate 0: saturated); its figures and its own CPU in cores.

    Paced, each connection waits a think time between an answer and its next
    request: 32/rate seconds less the mean latency, which a first 3-second
    run measures, so that the connections together ask ``rate`` a second."""
    think_ms = 0.0
    if rate:
        think_ms = 1000 * CONNECTIONS / rate
        probe = _wrk(base, paths, seconds=3, think_ms=think_ms, cookie=cookie, seed=seed)
        latency_ms = max(1000 * CONNECTIONS / probe["rps"] - think_ms, 0)
        think_ms = max(think_ms - latency_ms, 1.0)
    return _wrk(base, paths, seconds=seconds, think_ms=think_ms, cookie=cookie, seed=seed)


def _wrk(base: str, paths: list[str], *, seconds: float, think_ms: float, cookie: str, seed: int):
    headers = {"Accept": "text/html", "Accept-Encoding": "gzip, deflate, br"}
    if cookie:
        headers["Cookie"] = cookie
    lua = LUA % {
        "paths": "{" + ",".join(json.dumps(p) for p in paths) + "}",
        "headers": "{"
        + ",".join(f"[{json.dumps(k)}]={json.dumps(v)}" for k, v in headers.items())
        + "}",
        "think_ms": think_ms,
        "seed": seed,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        started = time.monotonic()
        proc = subprocess.Popen(
            [
                "wrk",
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
    finally:
        os.unlink(script.name)
    if status != 0:
        raise RuntimeError(f"wrk failed: {out}")
    figures = json.loads(out.strip().splitlines()[-1])
    figures["wrk_cores"] = (usage.ru_utime + usage.ru_stime) / wall
    figures["rps"] = figures["requests"] / (figures["us"] / 1e6)
    return figures


def _prepare(env: dict, *, embed: bool) -> None:
    dailypapers(env, "migrate", "-v0")
    dailypapers(env, "import", "default", "--no-progress")
    if embed:
        started = time.monotonic()
        dailypapers(env, "index")
        print(f"embedded and indexed the default papers in {time.monotonic() - started:.0f} s")


@contextmanager
def prepared(backend: str, *, embed: bool, cache_url: str):
    """The environment of a database holding the default data, embedded."""
    with backend_env(backend) as env:
        env["DAILYPAPERS_SHARED_DATA"] = str(SHARED)
        data_dir = Path(env["DAILYPAPERS_DATA_DIR"])
        if backend == "sqlite" and embed:
            if not (PREPARED / "dailypapers.sqlite3").exists():
                _prepare(env, embed=True)
                shutil.copytree(data_dir, PREPARED, dirs_exist_ok=True)
            else:
                shutil.copytree(PREPARED, data_dir, dirs_exist_ok=True)
        else:
            _prepare(env, embed=False)
            if embed and (PREPARED / "dailypapers.sqlite3").exists():
                code = COPY_VECTORS
                subprocess.run(
                    [
                        str(BIN / "dailypapers"),
                        "shell",
                        "-c",
                        f"import sys; sys.argv = ['', {str(PREPARED / 'dailypapers.sqlite3')!r}]\n"
                        + code,
                    ],
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            if embed:
                dailypapers(env, "index")
        if cache_url:
            env["CACHE_URL"] = cache_url
        yield env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--modes", default="cached,uncached,signed-in")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument(
        "--cache-url", default="", help="CACHE_URL for the app (default: the database cache)"
    )
    parser.add_argument(
        "--no-embed", action="store_true", help="skip embedding (keyword search only)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    paths = sample_paths(random.Random(7))
    pages = args.pages.split(",")
    modes = args.modes.split(",")
    print(
        f"cores={os.cpu_count()} connections={CONNECTIONS} seconds/row={args.seconds} "
        f"cache={'redis' if args.cache_url else 'database'} "
        f"urls: " + ", ".join(f"{k} {len(v)}" for k, v in paths.items() if k in pages)
    )
    header = (
        f"{'backend':<9} {'mode':<9} {'page':<8} {'load':<9} {'req/s':>7} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'errors':>6} {'wrk cores':>9} {'site cores':>10}"
    )
    for backend in args.backends.split(","):
        with prepared(backend, embed=not args.no_embed, cache_url=args.cache_url) as env:
            cookie = ""
            if "signed-in" in modes:
                cookie = f"sessionid={member_session(env)}"
            print(header, flush=True)
            for mode in modes:
                with site(env, page_cache=mode != "uncached") as (base, pid):
                    member = cookie if mode == "signed-in" else ""
                    for page in pages:
                        urls = paths[page]
                        if mode == "uncached":
                            wrk(base, urls[:10], seconds=3, rate=0, cookie=member, seed=1)
                        else:
                            warm(base, urls, cookie=member)
                        for load, rate in (("saturated", 0), ("paced", TARGET[mode])):
                            if load == "paced" and mode == "uncached":
                                continue
                            before, started = tree_cpu(pid), time.monotonic()
                            r = wrk(
                                base, urls, seconds=args.seconds, rate=rate, cookie=member, seed=2
                            )
                            site_cores = (tree_cpu(pid) - before) / (time.monotonic() - started)
                            print(
                                f"{backend:<9} {mode:<9} {page:<8} {load:<9} {r['rps']:>7.1f} "
                                f"{r['p50'] / 1000:>7.1f} {r['p99'] / 1000:>7.1f} "
                                f"{r['errors'] + r['status']:>6} {r['wrk_cores']:>9.2f} "
                                f"{site_cores:>10.2f}",
                                flush=True,
                            )


if __name__ == "__main__":
    main()
