"""Fresh start benchmark: `dailypapers run` on an empty data directory, as the
README's first command runs it, until the default papers are searchable by
meaning, and then until the worker has read every paper whole (the first
reading stops at 128 tokens; docs/search-quality.md).

Starts `dailypapers run` (SQLite, the real default data, the worker on) in a
new data directory and records, from the moment the command starts: when
the first page answers; then every 5 s the search page's notice (keyword
only, or "covers X of Y papers"), a day page's latency (pages must not wait
for the embedding), and finally when the notice is gone: every paper
searchable by meaning; then, from the console, when the last paper cut at
128 tokens was read again whole. Prints the console's progress lines as
they came.

    .venv/bin/python benchmarks/fresh_start.py [--timeout 1800]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import BIN, ROOT, SHARED, free_port  # noqa: E402

QUERY = "/papers/search?q=reinforcement+learning+for+reasoning"
# The worker's console line once no paper waits to be read again whole.
READ_WHOLE = re.compile(r"papers read whole \(.*, done\)")


def state(page: str) -> int | None:
    """Papers searchable by meaning per the notice; None: all of them."""
    if "Keyword search only for now" in page:
        return 0
    found = re.search(r"Semantic search covers (\d+) of (\d+) papers", page)
    return int(found.group(1)) if found else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="dp-fresh-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(DAILYPAPERS_DATA_DIR=str(data_dir), DAILYPAPERS_SHARED_DATA=str(SHARED))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = data_dir / "console.log"
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(BIN / "dailypapers"), "run", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    print(f"cores={os.cpu_count()} data={data_dir}")
    first_page = first_meaning = everything = whole = None
    latencies: list[float] = []
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            while time.monotonic() - started < args.timeout:
                if proc.poll() is not None:
                    sys.exit(f"dailypapers run ended: {log.read_text()[-2000:]}")
                try:
                    t = time.perf_counter()
                    ok = client.get("/papers/").status_code == 200
                    if first_page is None and ok:
                        first_page = time.monotonic() - started
                        print(f"first page after {first_page:.1f} s", flush=True)
                    if first_page is None:
                        time.sleep(1)
                        continue
                    latencies.append((time.perf_counter() - t) * 1000)
                    covered = state(client.get(QUERY).text)
                except httpx.TransportError:
                    time.sleep(1)
                    continue
                now = time.monotonic() - started
                if covered and first_meaning is None:
                    first_meaning = now
                    print(f"first papers searchable by meaning after {now:.0f} s", flush=True)
                if covered is None and everything is None:
                    everything = now
                    print(f"every paper searchable by meaning after {now:.0f} s", flush=True)
                if everything is not None and READ_WHOLE.search(log.read_text()):
                    whole = now
                    break
                time.sleep(5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    console = log.read_text().splitlines()
    progress = [line for line in console if "search by meaning:" in line]
    print("console progress lines (first 3, last 3):")
    for line in progress[:3] + ["..."] + progress[-3:]:
        print("  " + line)
    if latencies:
        print(
            f"feed page while embedding and reading again: {len(latencies)} requests, p50 "
            f"{statistics.median(latencies):.0f} ms, max {max(latencies):.0f} ms"
        )
    if everything is None:
        print(f"not every paper searchable by meaning after {args.timeout:.0f} s")
    else:
        print(
            f"every paper searchable by meaning after {everything:.0f} s ({everything / 60:.1f} min)"
        )
    if whole is None:
        print(f"not every paper read whole after {args.timeout:.0f} s")
    else:
        print(f"every paper read whole after {whole:.0f} s ({whole / 60:.1f} min)")


if __name__ == "__main__":
    main()
