"""Snapshot import benchmark: papers/s and peak memory, against a naive baseline.

For each backend (a fresh SQLite database, a fresh PostgreSQL database):
  1. `dailypapers import snapshot FILE` of the whole file: wall time,
     papers/s, peak RSS of the process tree (the importer and its parsing
     process), sampled every 50 ms;
  2. the same command again (nothing changes): wall time;
  3. the baseline, in a fresh database: the first 5,000 papers saved one at
     a time with the ORM (benchmarks/_one_at_a_time.py); and the ratio;
  4. the storage floor, in a fresh database: the same papers merged in
     advance and only written, with the importer's insert and index
     (benchmarks/_storage_only.py): the ratio no work on the Python side
     of the import could pass.

Each import and baseline is run ``--repeat`` times (fresh databases) and the
medians are compared; the second run and the floor are run once.

    .venv/bin/python benchmarks/import_snapshot.py [--file F] [--baseline-count 5000] [--backends sqlite,postgres] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import BIN, ROOT, backend_env, dailypapers  # noqa: E402

DEFAULT_FILE = ROOT.parent / "shared" / "data" / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz"


def timed_import(env: dict, path: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB of the process tree, summary)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "dailypapers"), "import", "snapshot", str(path), "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    root = psutil.Process(proc.pid)
    peak = 0
    tree = [root]
    samples = 0
    while proc.poll() is None:
        try:
            # Finding the children scans every process (about 1.5 ms of CPU,
            # taken from the import on two cores), so it is done every 0.5 s;
            # the import starts its one reading process once.
            if samples % 10 == 0:
                tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        samples += 1
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    summary = proc.stdout.read()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"import failed ({proc.returncode}): {summary}")
    return elapsed, peak / 2**20, summary


def helper_rate(backend: str, script: str, *args) -> float:
    """Papers/s printed by a helper script run against a fresh database."""
    with backend_env(backend) as env:
        dailypapers(env, "migrate", "-v0")
        out = subprocess.run(
            [sys.executable, str(Path(__file__).with_name(script)), *map(str, args)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
    return float(out.strip())


def count_lines(path: Path) -> int:
    with gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--baseline-count", type=int, default=5000)
    parser.add_argument("--backends", default="sqlite,postgres")
    # Two cores shared with whatever else the machine runs: each figure is
    # the median of several runs, each in a fresh database, their range shown.
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    papers = count_lines(args.file)
    print(f"file={args.file.name} papers={papers} cores={os.cpu_count()} repeat={args.repeat}")
    for backend in args.backends.split(","):
        runs, baselines = [], []
        for attempt in range(args.repeat):
            with backend_env(backend) as env:
                dailypapers(env, "migrate", "-v0")
                runs.append(timed_import(env, args.file))
                if attempt == 0:
                    again, rss_again, summary_again = timed_import(env, args.file)
            baselines.append(
                helper_rate(backend, "_one_at_a_time.py", args.file, args.baseline_count)
            )
        floor = helper_rate(backend, "_storage_only.py", args.file)
        seconds = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        summary = runs[0][2]
        baseline = statistics.median(baselines)
        rate = papers / seconds
        spread = ", ".join(f"{r[0]:.1f}" for r in runs)
        print(
            f"[{backend}] import: {seconds:.1f} s (runs: {spread}), {rate:.0f} papers/s, "
            f"peak RSS {rss:.0f} MB"
        )
        print(f"[{backend}]   {summary.strip().splitlines()[1].strip()}")
        print(
            f"[{backend}] second run (no changes): {again:.1f} s, {papers / again:.0f} papers/s, "
            f"peak RSS {rss_again:.0f} MB; {summary_again.strip().splitlines()[1].strip()}"
        )
        print(
            f"[{backend}] baseline, one at a time via the ORM ({args.baseline_count} papers): "
            f"{baseline:.0f} papers/s (runs: {', '.join(f'{b:.0f}' for b in baselines)})"
        )
        print(f"[{backend}] ratio: {rate / baseline:.1f}x", flush=True)
        print(
            f"[{backend}] storage only (papers merged in advance, then written): "
            f"{floor:.0f} papers/s, {floor / baseline:.1f}x the baseline",
            flush=True,
        )


if __name__ == "__main__":
    main()
