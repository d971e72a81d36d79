"""``dailypapers eval PATH``: search quality on a relevance-judged collection.

    dailypapers eval ../shared/data/ir/cacm [--mode hybrid] [--json] [--sweep]

The collection (TREC, SMART or BEIR layout) is loaded into a scratch
database of the configured backend (a temporary SQLite file, or a new
PostgreSQL database next to the configured one, dropped afterwards), then
every query runs through the real search code. Reports nDCG@10, Recall@100
and MRR@10 per mode, and a plain BM25 baseline (bm25s) on the same documents.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from dailypapers.core.commands import Command as BaseCommand
from dailypapers.core.scratch import scratch_postgres
from dailypapers.search.evaluation import collections
from dailypapers.search.query import MODES

_INNER = "DAILYPAPERS_EVAL_INNER"


@contextmanager
def _scratch_env():
    """Environment for a child process bound to an empty database of the same kind."""
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="dailypapers-eval-") as data_dir:
        env["DAILYPAPERS_DATA_DIR"] = data_dir
        env[_INNER] = "1"
        if not settings.DATABASE_URL:
            env.pop("DATABASE_URL", None)
            yield env
            return
        with scratch_postgres(settings.DATABASE_URL, prefix="dp_eval") as url:
            env["DATABASE_URL"] = url
            env.setdefault("SECRET_KEY", settings.SECRET_KEY)
            yield env


class Command(BaseCommand):
    help = "Measure search quality on a relevance-judged collection (TREC, SMART or BEIR layout)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--mode", choices=MODES, action="append", help="default: all three")
        parser.add_argument(
            "--json", action="store_true", help="print the metrics as one JSON object"
        )
        parser.add_argument("--sweep", action="store_true", help="also compare fusion methods")
        parser.add_argument("--no-baseline", action="store_true", help="skip the bm25s baseline")
        parser.add_argument("--no-progress", action="store_true")

    def handle(
        self,
        *args,
        path: Path,
        mode,
        json: bool,
        sweep: bool,
        no_baseline: bool,
        no_progress: bool,
        **options,
    ):
        modes = mode or ["lexical", "vector", "hybrid"]
        try:
            collection = collections.load(path)
        except (collections.CollectionError, OSError, ValueError) as exc:
            raise self.fail(f"cannot read the collection: {exc}") from None
        if os.environ.get(_INNER):
            self._inner(collection, modes, sweep, no_baseline, no_progress)
            return
        result = self._in_scratch_database(path, modes, sweep, no_baseline, no_progress)
        self.stdout.write(_dumps(result) if json else _table(result))

    def _in_scratch_database(self, path, modes, sweep, no_baseline, no_progress) -> dict:
        cli = [sys.executable, "-m", "dailypapers.cli"]
        with _scratch_env() as env:
            subprocess.run([*cli, "migrate", "-v0"], env=env, check=True)
            args = [*cli, "eval", str(path), *[f"--mode={m}" for m in modes]]
            args += (
                ["--sweep"] * sweep
                + ["--no-baseline"] * no_baseline
                + ["--no-progress"] * no_progress
            )
            child = subprocess.run(args, env=env, stdout=subprocess.PIPE, text=True)
        if child.returncode:
            raise self.fail(f"evaluation failed (exit {child.returncode})")
        return json.loads(child.stdout)

    def _inner(self, collection, modes, sweep, no_baseline, no_progress) -> None:
        from dailypapers.search.evaluation import runner

        result = runner.run(collection, modes=modes, sweep=sweep, show_progress=not no_progress)
        if not no_baseline:
            result["bm25s_baseline"] = runner.bm25_baseline(collection)
        self.stdout.write(_dumps(result))


def _dumps(result: dict) -> str:
    return json.dumps(result, sort_keys=True)


def _table(result: dict) -> str:
    lines = [
        f"{result['collection']} ({result['layout']}): {result['documents']} documents, "
        f"{result['queries']} judged queries; backend {result['backend']}, "
        f"model {result['embedding_model']}, fusion {result['fusion']}",
        f"{'mode':<22} {'nDCG@10':>8} {'R@100':>8} {'MRR@10':>8} {'ms/query':>9}",
    ]
    rows = list(result["modes"].items())
    if "bm25s_baseline" in result:
        rows.append(("bm25s baseline", result["bm25s_baseline"]))
    for name, m in [*rows, *result.get("fusion_sweep", {}).items()]:
        if "error" in m:
            lines.append(f"{name:<22} {m['error']}")
            continue
        ms = f"{m['ms_per_query']:>9}" if "ms_per_query" in m else ""
        lines.append(
            f"{name:<22} {m['nDCG@10']:>8.4f} {m['Recall@100']:>8.4f} {m['MRR@10']:>8.4f} {ms}"
        )
    lines.append(f"seconds: {result['seconds']}")
    return "\n".join(lines)
