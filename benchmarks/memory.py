"""Memory benchmark: app processes sharing one million-paper vector index.

Builds (once, kept in benchmarks/.cache/memory-<n>) an "ivf-pq" vector index
of ``--vectors`` made vectors (unit vectors around 4,000 random centres, the
index layout the site builds past SEARCH_ANN_MIN_VECTORS), then for each
``--workers`` count serves an empty site with `dailypapers run --no-worker
--workers N` reading that index (SEARCH_INDEX_DIR) with the page cache off,
has 32 clients search by meaning for ``--seconds`` so that every worker
loads the index and searches it, and reads every gunicorn process's memory:
RSS (which counts pages shared with other processes in each of them), PSS
(each shared page divided among the processes sharing it: their sum is what
the server costs the machine) and USS (pages of that process alone).

    .venv/bin/python benchmarks/memory.py [--vectors 1000000] [--workers 1,4] [--seconds 20]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import BIN, ROOT, backend_env, dailypapers, served  # noqa: E402

CACHE = Path(__file__).resolve().parent / ".cache"

BUILD = """
import os, sys, time
import numpy as np
import django
django.setup()
from pathlib import Path
from dailypapers.search.vectors import embeddings, index
n, directory = int(sys.argv[1]), Path(sys.argv[2])
rng = np.random.default_rng(7)
centres = rng.standard_normal((4000, embeddings.DIM)).astype(np.float32)

def batches(size=100_000):
    for start in range(0, n, size):
        count = min(size, n - start)
        x = centres[rng.integers(0, len(centres), count)]
        x = x + 0.6 * rng.standard_normal(x.shape).astype(np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        yield np.arange(start + 1, start + count + 1), x

started = time.monotonic()
meta = index.build(directory=directory, model=embeddings.MODEL_NAME, dim=embeddings.DIM,
                   batches=batches(), count=n, source=f"{n}:made", ann_min_vectors=50_000)
print(f"built {meta.count:,} vectors ({meta.kind}) in {time.monotonic() - started:.0f} s")
"""

WORDS = (
    "graph neural networks diffusion models reinforcement learning protein folding "
    "language models retrieval augmented generation speech recognition robotics "
    "contrastive learning vision transformers federated learning causal inference"
).split()


def built_index(vectors: int, env: dict) -> Path:
    directory = CACHE / f"memory-{vectors}"
    if not (directory / "all-MiniLM-L6-v2-int8-dynamic-onnx-128.json").exists():
        directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(BIN / "python"), "-c", BUILD, str(vectors), str(directory)],
            env={**env, "DJANGO_SETTINGS_MODULE": "dailypapers.settings"},
            cwd=ROOT,
            check=True,
        )
    size = sum(p.stat().st_size for p in directory.iterdir()) / 2**20
    print(f"index: {directory} ({size:,.0f} MiB on disk)", flush=True)
    return directory


def searched(base: str, seconds: float) -> int:
    rng = random.Random(3)
    stop = time.monotonic() + seconds

    def client(_):
        done = 0
        with httpx.Client(base_url=base, timeout=60) as http:
            while time.monotonic() < stop:
                q = " ".join(rng.sample(WORDS, 3))
                http.get("/papers/search", params={"q": q, "mode": "vector"})
                done += 1
        return done

    with ThreadPoolExecutor(32) as pool:
        return sum(pool.map(client, range(32)))


def memory(pid: int) -> list[tuple[str, float, float, float]]:
    """(role, RSS, PSS, USS) in MiB of the server and each of its processes."""
    rows = []
    root = psutil.Process(pid)
    for proc in [root, *root.children(recursive=True)]:
        info = proc.memory_full_info()
        role = "master" if proc.pid == pid else "worker"
        rows.append((role, info.rss / 2**20, info.pss / 2**20, info.uss / 2**20))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vectors", type=int, default=1_000_000)
    parser.add_argument("--workers", default="1,4")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    print(f"cores={os.cpu_count()}")
    with backend_env("sqlite") as env:
        directory = built_index(args.vectors, env)
        env.update(SEARCH_INDEX_DIR=str(directory), PAGE_CACHE_SECONDS="0")
        dailypapers(env, "migrate", "-v0")
        totals = {}
        print(
            f"{'workers':>7} {'searches':>8} {'RSS sum':>9} {'PSS sum':>9} {'USS sum':>9} "
            f"{'worker RSS':>10} {'worker PSS':>10} {'worker USS':>10}  (MiB)"
        )
        for workers in [int(w) for w in args.workers.split(",")]:
            with served(env, "--workers", str(workers)) as (base, pid):
                count = searched(base, args.seconds)
                rows = memory(pid)
            rss, pss, uss = (sum(r[i] for r in rows) for i in (1, 2, 3))
            worker = [r for r in rows if r[0] == "worker"]
            totals[workers] = pss
            print(
                f"{workers:>7} {count:>8} {rss:>9.0f} {pss:>9.0f} {uss:>9.0f} "
                f"{max(r[1] for r in worker):>10.0f} {max(r[2] for r in worker):>10.0f} "
                f"{max(r[3] for r in worker):>10.0f}",
                flush=True,
            )
        if len(totals) > 1:
            low, high = min(totals), max(totals)
            print(f"PSS sum, {high} workers / {low}: {totals[high] / totals[low]:.2f}x")


if __name__ == "__main__":
    main()
