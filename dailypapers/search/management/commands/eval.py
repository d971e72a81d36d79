"""``dailypapers eval PATH``: search quality on a relevance-judged collection.

    dailypapers eval ../shared/data/ir/cacm [--mode hybrid] [--json [--per-query]] [--sweep]

The collection (TREC, SMART or BEIR layout) is loaded into a scratch
database of the configured backend (a temporary SQLite file, or a new
PostgreSQL database next to the configured one, dropped afterwards), then
every query runs through the real search code. Reports nDCG@10, Recall@100
and MRR@10 per mode, and a plain BM25 baseline (bm25s) on the same documents;
``--sweep`` adds the first round's lists fused every way, the whole hybrid
search set to each fusion with and without feedback (on the same vectors, so
settings compare paired), and the unquantised all-MiniLM-L6-v2 at 256 tokens
and its fusions with bm25s, the bar hybrid search is held to (minutes: it
embeds the collection a second time, with torch). ``--per-query`` keeps each
run's nDCG@10 by query id in the JSON: a collection of a few dozen queries
can owe a margin to one of them.
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
from dailypapers.search.evaluation.by_document import by_document as as_queries_by_document
from dailypapers.search.evaluation.metrics import BY_QUERY
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
        parser.add_argument(
            "--sweep",
            action="store_true",
            help=(
                "also compare fusion methods (on the first round's lists, and the whole"
                " search set to each, with and without feedback), and add the dense and"
                " fusion baselines"
            ),
        )
        parser.add_argument("--no-baseline", action="store_true", help="skip every baseline")
        parser.add_argument(
            "--by-document",
            action="store_true",
            help="query with whole documents: each relevant to a query, finding the others "
            "(related papers, a pasted abstract)",
        )
        parser.add_argument(
            "--per-query",
            action="store_true",
            help="with --json: keep each run's nDCG@10 by query id, to see which queries"
            " decide a margin",
        )
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
        by_document: bool,
        per_query: bool,
        **options,
    ):
        modes = mode or ["lexical", "vector", "hybrid"]
        try:
            collection = collections.load(path)
        except (collections.CollectionError, OSError, ValueError) as exc:
            raise self.fail(f"cannot read the collection: {exc}") from None
        if by_document:
            collection = as_queries_by_document(collection)
        if os.environ.get(_INNER):
            self._inner(collection, modes, sweep, no_baseline, no_progress, per_query)
            return
        if per_query and not json:
            raise self.fail("--per-query is part of the JSON report: add --json")
        flags = {"sweep": sweep, "no-baseline": no_baseline, "no-progress": no_progress}
        flags |= {"by-document": by_document, "per-query": per_query}
        result = self._in_scratch_database(path, modes, flags)
        self.stdout.write(_dumps(result) if json else _table(result))

    def _in_scratch_database(self, path, modes, flags: dict[str, bool]) -> dict:
        cli = [sys.executable, "-m", "dailypapers.cli"]
        with _scratch_env() as env:
            subprocess.run([*cli, "migrate", "-v0"], env=env, check=True)
            args = [*cli, "eval", str(path), *[f"--mode={m}" for m in modes]]
            args += [f"--{flag}" for flag, on in flags.items() if on]
            child = subprocess.run(args, env=env, stdout=subprocess.PIPE, text=True)
        if child.returncode:
            raise self.fail(f"evaluation failed (exit {child.returncode})")
        return json.loads(child.stdout)

    def _inner(self, collection, modes, sweep, no_baseline, no_progress, per_query) -> None:
        from dailypapers.search.evaluation import baselines, runner

        result = runner.run(collection, modes=modes, sweep=sweep, show_progress=not no_progress)
        if not no_baseline:
            measured = baselines.measure(collection, dense=sweep, show_progress=not no_progress)
            seconds = measured.pop("seconds")
            result["seconds"].update({f"baseline_{name}": s for name, s in seconds.items()})
            result["baselines"] = measured
            result["hybrid_above_best_fusion_percent"] = baselines.above_best_fusion(result)
            interval = baselines.above_best_fusion_interval(result)
            if interval:
                result["hybrid_above_best_fusion_interval"] = interval
        self.stdout.write(_dumps(result if per_query else _without_queries(result)))


def _without_queries(result):
    """The report without each run's per-query figures (read for intervals)."""
    if isinstance(result, dict):
        return {k: _without_queries(v) for k, v in result.items() if k != BY_QUERY}
    return result


def _dumps(result: dict) -> str:
    return json.dumps(result, sort_keys=True)


def _table(result: dict) -> str:
    sweep = [(f"hybrid {name}", m) for name, m in result.get("fusion_sweep", {}).items()]
    sweep += [(f"hybrid set to {name}", m) for name, m in result.get("settings_sweep", {}).items()]
    rows = [*result["modes"].items(), *sweep, *_baseline_rows(result.get("baselines", {}))]
    # The longest row name sets the first column: fusion names grow with the sweep.
    width = max(len(name) for name, _ in [("mode", None), *rows]) + 1
    lines = [
        f"{result['collection']} ({result['layout']}): {result['documents']} documents, "
        f"{result['queries']} judged queries; backend {result['backend']}, "
        f"model {result['embedding_model']}, fusion {result['fusion']}",
        f"{'mode':<{width}} {'nDCG@10':>8} {'R@100':>8} {'MRR@10':>8} {'ms/query':>9}",
    ]
    lines += [_row(name, m, width) for name, m in rows]
    best = result.get("baselines", {}).get("best_fusion")
    margin = result.get("hybrid_above_best_fusion_percent")
    if best and margin is not None:
        interval = result.get("hybrid_above_best_fusion_interval")
        sure = (
            f"; 95% interval over the queries {interval[0]:+.2f}% to {interval[1]:+.2f}%"
            if interval
            else ""
        )
        lines.append(
            f"hybrid is {margin:+.2f}% nDCG@10 against the best fusion baseline "
            f"(bm25s+dense {best['name']}, {best['ndcg@10']:.4f}{sure})"
        )
    lines.append(f"seconds: {result['seconds']}")
    return "\n".join(lines)


def _baseline_rows(baselines: dict) -> list[tuple[str, dict]]:
    rows = [
        ("bm25s baseline", baselines.get("bm25s")),
        ("dense MiniLM 256", baselines.get("dense_minilm256")),
    ]
    rows += [(f"bm25s+dense {name}", m) for name, m in baselines.get("fusion", {}).items()]
    return [(name, m) for name, m in rows if m]


def _row(name: str, m: dict, width: int) -> str:
    if "error" in m:
        return f"{name:<{width}} {m['error']}"
    ms = f"{m['ms_per_query']:>9}" if "ms_per_query" in m else ""
    return f"{name:<{width}} {m['nDCG@10']:>8.4f} {m['Recall@100']:>8.4f} {m['MRR@10']:>8.4f} {ms}"
