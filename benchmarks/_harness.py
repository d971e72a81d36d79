"""Shared by the benchmark scripts: scratch databases, servers and load."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# The real data (../shared/data), as the site's own default does.
SHARED = Path(
    os.environ.get(
        "DAILYPAPERS_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"
    )
)
POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def backend_env(backend: str):
    """Environment variables for a fresh, empty database of ``backend``."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"dp-bench-{backend}-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    env.update(
        DAILYPAPERS_DATA_DIR=str(data_dir),
        SECRET_KEY=secrets.token_urlsafe(50),
        LOG_LEVEL="WARNING",
    )
    if backend == "sqlite":
        yield env
        return
    # Imported here so that importing the harness needs neither the project
    # nor psycopg: the scripts import it before they set Django up.
    from dailypapers.core.scratch import scratch_postgres

    with scratch_postgres(POSTGRES_ADMIN_URL, prefix="dp_bench") as url:
        env["DATABASE_URL"] = url
        yield env


ARXIV_SNAPSHOT = SHARED / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz"


def papers_arguments(parser: argparse.ArgumentParser, *, data: str = "default") -> None:
    """--backend, --data and --data-dir, as run_on_papers reads them."""
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--data", choices=("default", "snapshot"), default=data)
    parser.add_argument(
        "--data-dir", default=None, help="(SQLite) a data directory to reuse: its papers stay"
    )


def run_on_papers(args: argparse.Namespace, measure: Callable[[argparse.Namespace], None]) -> None:
    """``measure(args)`` in this process, Django set up on a scratch database of
    ``args.backend`` holding ``args.data``: the site's default data (the real
    Daily Papers days, about 9,900 papers) or the 74,728 arXiv papers of the
    snapshot, imported by the site's own importers (what a reused
    ``--data-dir`` holds already is skipped)."""
    with backend_env(args.backend) as env:
        os.environ.update(env)
        if args.data_dir and args.backend == "sqlite":
            os.environ["DAILYPAPERS_DATA_DIR"] = args.data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from dailypapers.ingest.services import default_data_import

        call_command("migrate", verbosity=0)
        if args.data == "default":
            default_data_import(data_dir=SHARED, show_progress=False)
        else:
            snapshot = ["import", "snapshot", str(ARXIV_SNAPSHOT), "--no-progress"]
            try:
                call_command(*snapshot, stdout=io.StringIO())
            except SystemExit as exc:  # the command's exit status: 0 new papers, 1 none
                if exc.code not in (0, 1):
                    raise
        measure(args)
        connections.close_all()  # before the scratch database is dropped


def dailypapers(env: dict, *args: str) -> None:
    subprocess.run(
        [str(BIN / "dailypapers"), *args], env=env, check=True, stdout=subprocess.DEVNULL
    )


@contextmanager
def gunicorn(env: dict, *, workers: int, threads: int):
    port = free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "dailypapers.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "-k",
            "gthread",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        until_up(base, proc, seconds=60)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def until_up(base: str, proc: subprocess.Popen, *, seconds: float = 120) -> None:
    """Wait until the site at ``base`` answers its feed page."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(base + "/papers/", timeout=10).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError(f"the site at {base} did not start")
        time.sleep(0.5)


@contextmanager
def served(env: dict, *args: str):
    """`dailypapers run --no-import --no-worker ARGS` on a free port, as
    operators start it; (base URL, the server's pid) once it answers."""
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "dailypapers"), "run", "--no-import", "--no-worker", "--port", str(port), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        until_up(base, proc)
        yield base, proc.pid
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def _client_loop(args) -> tuple[list[float], int]:
    base, paths, seconds, threads, seed = args
    import threading

    rng = random.Random(seed)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run():
        local, bad = [], 0
        with httpx.Client(base_url=base, timeout=30) as client:
            while time.monotonic() < stop:
                path = rng.choice(paths)
                start = time.perf_counter()
                status = client.get(path).status_code
                local.append(time.perf_counter() - start)
                bad += status != 200
        with lock:
            latencies.extend(local)
            errors[0] += bad

    pool = [threading.Thread(target=run) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, errors[0]


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def load(
    base: str, paths: list[str], *, seconds: float, clients: int, processes: int = 2
) -> LoadResult:
    """``clients`` concurrent keep-alive clients spread over ``processes`` processes."""
    processes = min(processes, clients)
    per = max(1, clients // processes)
    jobs = [(base, paths, seconds, per, i) for i in range(processes)]
    started = time.perf_counter()
    with ProcessPoolExecutor(processes) as pool:
        results = list(pool.map(_client_loop, jobs))
    elapsed = time.perf_counter() - started
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return LoadResult(
        len(latencies), errors, min(elapsed, seconds + 0.5), q[49] * 1000, q[98] * 1000
    )


def real_days() -> list[str]:
    """The days of the real Daily Papers files, oldest first."""
    return sorted(p.stem for p in (SHARED / "hf_daily_papers").glob("*.json"))


def iso_weeks(days: list[str]) -> list[str]:
    return sorted({"{}-W{:02d}".format(*dt.date.fromisoformat(d).isocalendar()[:2]) for d in days})


def sample_entries(rng: random.Random, days: list[str], count: int = 40) -> list[dict]:
    """The well-formed entries of ``count`` random real days (some files are not JSON)."""
    entries = []
    for day in rng.sample(days, count):
        try:
            data = json.loads((SHARED / "hf_daily_papers" / f"{day}.json").read_text())
        except ValueError:
            continue
        entries += [e for e in data if isinstance(e, dict)]
    return entries


def serve_and_load(
    sample_paths: Callable[[random.Random], dict[str, list[str]]],
    *,
    clients: int,
    column: str,
    width: int,
    warm_up: dict[str, float],
    after_import: tuple[tuple[str, ...], ...] = (),
) -> None:
    """The main loop of the API benchmark (api.py).

    Per backend: a fresh database with the real default data (then the
    ``after_import`` commands), gunicorn, a warm-up of 20 paths of each kind
    in ``warm_up`` for its seconds, then a row per kind of path, titled
    ``column`` in a field ``width`` wide. ``clients`` is the default of --clients.
    """
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=clients)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    paths = sample_paths(random.Random(7))
    print(
        f"cores={os.cpu_count()} clients={args.clients} gunicorn workers={args.workers} "
        f"threads={args.threads} seconds/{column}={args.seconds}"
    )
    print(
        f"{'backend':<10} {column:<{width}} {'requests':>9} {'req/s':>8} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7}"
    )
    for backend in args.backends.split(","):
        with backend_env(backend) as env:
            env["DAILYPAPERS_SHARED_DATA"] = str(SHARED)
            dailypapers(env, "migrate", "-v0")
            dailypapers(env, "import", "default", "--no-progress")
            for command in after_import:
                dailypapers(env, *command)
            dailypapers(env, "collectstatic", "--noinput", "-v0")
            with gunicorn(env, workers=args.workers, threads=args.threads) as base:
                for name, seconds in warm_up.items():
                    load(base, paths[name][:20], seconds=seconds, clients=4)
                for name, urls in paths.items():
                    r = load(base, urls, seconds=args.seconds, clients=args.clients)
                    print(
                        f"{backend:<10} {name:<{width}} {r.requests:>9} {r.rps:>8.1f} "
                        f"{r.p50_ms:>8.1f} {r.p99_ms:>8.1f} {r.errors:>7}",
                        flush=True,
                    )
