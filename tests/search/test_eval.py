"""`dailypapers eval`: collection layouts, metrics, and the command end to end."""

import json
import math
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dailypapers.search.evaluation import collections, metrics
from tests.conftest import shared_data


def ir() -> Path:
    return shared_data() / "ir"


def test_metrics_by_hand():
    ranked = ["a", "x", "b", "y"]
    relevant = {"a", "b", "c"}
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert metrics.ndcg_at(ranked, relevant) == pytest.approx((1 + 1 / math.log2(4)) / ideal)
    assert metrics.recall_at(ranked, relevant) == pytest.approx(2 / 3)
    assert metrics.mrr_at(["x", "a"], relevant) == 0.5 and metrics.mrr_at(["x"], relevant) == 0.0
    assert metrics.evaluate({"q1": ranked, "q2": ["z"]}, {"q1": relevant})["queries"] == 1


def test_an_interval_says_how_far_a_margin_is_from_luck():
    theirs = {f"q{i}": 0.5 for i in range(10)}
    assert metrics.percent_interval(theirs, theirs) == (0.0, 0.0)
    # Better on every query by a tenth: sure of it.
    assert metrics.percent_interval({q: 0.55 for q in theirs}, theirs) == (10.0, 10.0)
    # The same +10% on average, all of it from one query: it could be nothing.
    lucky = {**theirs, "q0": 1.0}
    low, high = metrics.percent_interval(lucky, theirs)
    assert low == 0.0 and 20.0 <= high <= 40.0
    # Worse on most queries, far better on one: the interval spans both ways.
    mixed = {**{q: 0.45 for q in theirs}, "q0": 1.0}
    low, high = metrics.percent_interval(mixed, theirs)
    assert low < 0 < high
    # Only the queries both runs judged are paired; none, no interval.
    assert metrics.percent_interval({"x": 1.0}, theirs) is None
    # Seeded: the same runs give the same interval.
    assert metrics.percent_interval(mixed, theirs) == (low, high)


@pytest.mark.parametrize(
    ("name", "layout", "documents", "judged"),
    [
        ("vaswani_npl", "trec", 11429, 93),
        ("cacm", "smart", 3204, 52),
        ("cranfield", "smart", 1400, 225),
    ],
)
def test_the_three_real_collections_load(name, layout, documents, judged):
    collection = collections.load(ir() / name)
    assert (collection.layout, len(collection.documents), len(collection.judged())) == (
        layout,
        documents,
        judged,
    )


def test_cranfield_queries_are_numbered_by_position():
    cranfield = collections.load(ir() / "cranfield")
    # cran.qry's third query has .I 004 but is judged as query 3.
    assert cranfield.queries["3"].startswith("what problems of heat conduction in composite slabs")


def test_cacm_authors_and_titles():
    first = collections.load(ir() / "cacm").documents[0]
    assert (
        first.title == "Preliminary Report-International Algebraic Language"
        and first.authors[0] == "Perlis, A. J."
    )


def beir_subset(tmp_path: Path, size: int = 150) -> Path:
    """A BEIR-layout copy of the first documents of Cranfield and the queries judged on them."""
    cranfield = collections.load(ir() / "cranfield")
    docs = cranfield.documents[:size]
    kept = {d.id for d in docs}
    root = tmp_path / "cranfield-beir"
    (root / "qrels").mkdir(parents=True)
    (root / "corpus.jsonl").write_text(
        "\n".join(json.dumps({"_id": d.id, "title": d.title, "text": d.text}) for d in docs)
    )
    queries = {q: t for q, t in cranfield.judged().items() if cranfield.qrels[q] & kept}
    (root / "queries.jsonl").write_text(
        "\n".join(json.dumps({"_id": q, "text": t}) for q, t in queries.items())
    )
    lines = ["query-id\tcorpus-id\tscore"] + [
        f"{q}\t{d}\t1" for q in queries for d in sorted(cranfield.qrels[q] & kept)
    ]
    (root / "qrels" / "test.tsv").write_text("\n".join(lines))
    return root


def test_beir_layout(tmp_path):
    collection = collections.load(beir_subset(tmp_path))
    assert collection.layout == "beir" and len(collection.documents) == 150 and collection.judged()


@pytest.mark.slow
def test_the_command_measures_every_mode_through_the_real_search(tmp_path, capfd):
    # capfd: what the scratch database's child processes print is on stdout too,
    # and must not break the JSON.
    call_command("eval", str(beir_subset(tmp_path)), "--json", "--sweep", "--no-progress")
    result = json.loads(capfd.readouterr().out)
    assert result["documents"] == 150 and result["vectors"] == 150
    assert set(result["modes"]) == {"lexical", "vector", "hybrid"}
    for mode in result["modes"].values():
        assert 0 < mode["nDCG@10"] <= 1 and 0 < mode["Recall@100"] <= 1 and 0 < mode["MRR@10"] <= 1
    assert {"rrf60", "weighted0.5"} <= set(result["fusion_sweep"])
    # The whole search under each setting, on the vectors already stored: as
    # configured, it is the hybrid figure itself, so settings compare paired.
    by_setting = result["settings_sweep"]
    assert set(by_setting) == {
        f"{fusion}, {feedback}"
        for fusion in ("distribution", "weighted", "rrf")
        for feedback in ("feedback", "no feedback")
    }
    assert by_setting["distribution, feedback"]["nDCG@10"] == result["modes"]["hybrid"]["nDCG@10"]
    assert len({m["nDCG@10"] for m in by_setting.values()}) > 1
    baselines = result["baselines"]
    for name in ("bm25s", "dense_minilm256"):
        assert 0 < baselines[name]["nDCG@10"] <= 1
    assert set(baselines["fusion"]) == set(result["fusion_sweep"])
    assert baselines["best_fusion"]["name"] in baselines["fusion"]
    margin = result["hybrid_above_best_fusion_percent"]
    low, high = result["hybrid_above_best_fusion_interval"]
    assert isinstance(margin, float) and low <= margin <= high
    # The per-query figures the interval was made of stay out of the report.
    assert metrics.BY_QUERY not in json.dumps(result)
    # On these judged queries meaning and words together beat either alone.
    modes = result["modes"]
    assert (
        modes["hybrid"]["nDCG@10"]
        >= max(modes["lexical"]["nDCG@10"], modes["vector"]["nDCG@10"]) - 0.02
    )


@pytest.mark.slow
def test_table_output_and_a_single_mode(tmp_path, capsys):
    call_command("eval", str(beir_subset(tmp_path, 60)), "--mode", "lexical", "--no-progress")
    out = capsys.readouterr().out
    assert (
        "cranfield-beir (beir): 60 documents" in out
        and "lexical" in out
        and "bm25s baseline" in out
    )
    # Without --sweep no dense baseline: it would cost minutes.
    assert "hybrid" not in out and "dense" not in out


def test_the_table_keeps_its_columns_whatever_the_fusion_names():
    from dailypapers.search.management.commands.eval import _table

    figures = {"nDCG@10": 0.5, "Recall@100": 0.7, "MRR@10": 0.6}
    result = {
        "collection": "c",
        "layout": "trec",
        "documents": 3,
        "queries": 2,
        "backend": "sqlite",
        "embedding_model": "m",
        "fusion": "distribution",
        "modes": {"hybrid": {**figures, "ms_per_query": 1.0}},
        "fusion_sweep": {"distribution0.5": figures, "rrf60": figures},
        "baselines": {"bm25s": figures, "fusion": {"distribution0.5": figures}},
        "seconds": {},
    }
    rows = [line for line in _table(result).splitlines() if "0.5000" in line]
    assert len(rows) == 5
    assert {row.index("0.5000") for row in rows} == {len("bm25s+dense distribution0.5") + 4}


@pytest.mark.slow
def test_per_query_figures_show_which_queries_decide_a_margin(tmp_path, capfd):
    root = beir_subset(tmp_path, 60)
    call_command("eval", str(root), "--json", "--per-query", "--mode", "lexical", "--no-progress")
    result = json.loads(capfd.readouterr().out)
    judged = set(collections.load(root).judged())
    for run in (result["modes"]["lexical"], result["baselines"]["bm25s"]):
        by_query = run[metrics.BY_QUERY]
        assert set(by_query) == judged and all(0 <= v <= 1 for v in by_query.values())
        assert math.isclose(sum(by_query.values()) / len(by_query), run["nDCG@10"], abs_tol=1e-4)


def test_per_query_figures_come_only_in_the_json_report(tmp_path):
    with pytest.raises(CommandError, match="add --json"):
        call_command("eval", str(beir_subset(tmp_path, 20)), "--per-query")


def test_a_folder_that_is_no_collection(tmp_path):
    (tmp_path / "readme.txt").write_text("nothing here")
    with pytest.raises(CommandError, match="cannot read the collection"):
        call_command("eval", str(tmp_path))


@pytest.mark.slow
def test_by_document_also_measures_related_papers_as_a_paper_page_lists_them(tmp_path, capfd):
    call_command(
        "eval",
        str(beir_subset(tmp_path, 80)),
        "--by-document",
        "--json",
        "--no-baseline",
        "--mode",
        "hybrid",
        "--no-progress",
    )
    result = json.loads(capfd.readouterr().out)
    assert set(result["modes"]) == {"hybrid", "related"}
    assert 0 < result["modes"]["related"]["nDCG@10"] <= 1


def _scratch_databases() -> set[str]:
    import psycopg
    from django.conf import settings

    from dailypapers.core.scratch import admin_url

    with psycopg.connect(admin_url(settings.DATABASE_URL), autocommit=True) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'dp_eval_%'")
        return {name for (name,) in rows}


@pytest.mark.postgres_only
@pytest.mark.slow
def test_a_stopped_evaluation_leaves_no_scratch_database_behind(tmp_path):
    # SIGTERM (kill, CI's timeout) used to end the command before it dropped
    # the database it made on the site's server.
    from django.conf import settings

    from tests.processes import CLI, SECRET

    before = _scratch_databases()
    env = {
        **os.environ,
        "DATABASE_URL": settings.DATABASE_URL,
        "SECRET_KEY": SECRET,
        "DAILYPAPERS_DATA_DIR": str(tmp_path / "data"),
    }
    args = [str(CLI), "eval", str(beir_subset(tmp_path)), "--json", "--no-progress"]
    child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not (made := _scratch_databases() - before):
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=60) != 0
    finally:
        child.kill()
    assert not _scratch_databases() & made
