"""`dailypapers eval`'s baselines: bm25s, the full-precision MiniLM, their fusions."""

import json
import sys
from pathlib import Path

import pytest

from dailypapers.search.evaluation import baselines, collections, runner
from dailypapers.search.evaluation.metrics import BY_QUERY
from dailypapers.search.management.commands.eval import _table

CAR = "d-car"
# Shares no word with its query ("automobile engine repair"): only meaning finds it,
# while "engine" sends BM25 to the economics paper.
DOCUMENTS = {
    CAR: ("Fixing a car motor", "A mechanic shows how to fix a broken motor that will not start."),
    "d-economy": ("Trade as an engine of growth", "Exports drive growth in small economies."),
    "d-protein": (
        "Protein folding simulation",
        "Molecular dynamics simulation of protein folding.",
    ),
    "d-solar": ("Solar panel efficiency", "Raising the efficiency of silicon solar panels."),
    "d-birds": ("Migration of birds", "Songbirds navigate by the stars on long flights."),
    "d-bread": ("Sourdough baking", "Wild yeast and long fermentation make sourdough bread."),
    "d-chess": ("Chess openings", "The Sicilian defence remains the sharpest reply to e4."),
    "d-ocean": ("Ocean currents", "The Gulf Stream carries warm water to northern Europe."),
    "d-piano": ("Learning the piano", "Scales and slow practice build a pianist's technique."),
    "d-coffee": ("Coffee roasting", "Roast level changes the acidity and body of coffee."),
    "d-volcano": ("Volcanic eruptions", "Magma pressure builds until the volcano erupts."),
    "d-tax": ("Income tax reform", "A flatter income tax and fewer deductions were proposed."),
    "d-garden": ("Vegetable gardening", "Tomatoes need sun, water and well drained soil."),
    "d-rome": ("The fall of Rome", "Historians debate why the western Roman empire fell."),
    "d-sleep": ("Sleep and memory", "Deep sleep consolidates what was learned during the day."),
    "d-bridge": ("Suspension bridges", "Cables carry the deck of a suspension bridge."),
    "d-vaccine": ("Vaccine trials", "Phase three trials measure how well a vaccine protects."),
    "d-football": ("Football tactics", "A high press wins the ball back near the goal."),
    "d-glacier": ("Retreating glaciers", "Alpine glaciers lose ice as summers warm."),
    "d-poetry": ("Sonnet form", "A sonnet has fourteen lines and a turn before the end."),
}
QUERIES = {
    "q-car": ("automobile engine repair", CAR),
    "q-protein": ("simulating how proteins fold", "d-protein"),
    "q-solar": ("efficiency of solar panels", "d-solar"),
}


def tiny_collection(root: Path) -> collections.Collection:
    """~20 documents and 3 queries in the BEIR layout."""
    (root / "qrels").mkdir(parents=True)
    corpus = [json.dumps({"_id": i, "title": t, "text": x}) for i, (t, x) in DOCUMENTS.items()]
    (root / "corpus.jsonl").write_text("\n".join(corpus))
    queries = [json.dumps({"_id": q, "text": text}) for q, (text, _) in QUERIES.items()]
    (root / "queries.jsonl").write_text("\n".join(queries))
    qrels = ["query-id\tcorpus-id\tscore"] + [f"{q}\t{d}\t1" for q, (_, d) in QUERIES.items()]
    (root / "qrels" / "test.tsv").write_text("\n".join(qrels))
    return collections.load(root)


def first_ids(collection, ranked) -> list[str]:
    return [collection.documents[pos].id for pos, _ in ranked]


def table_input(*, baselines: dict, modes: dict | None = None) -> dict:
    """What the inner process hands the table, baselines and all."""
    return {
        "collection": "tiny",
        "layout": "beir",
        "documents": 20,
        "queries": 3,
        "backend": "sqlite",
        "embedding_model": "m",
        "fusion": "weighted",
        "modes": modes or {},
        "seconds": {},
        "baselines": baselines,
    }


@pytest.mark.slow
@pytest.mark.no_database
def test_the_dense_baseline_finds_by_meaning_what_bm25s_cannot(tmp_path):
    collection = tiny_collection(tmp_path / "tiny")
    bm25 = baselines.bm25_rankings(collection)
    dense = baselines.dense_rankings(collection, show_progress=False)
    assert CAR not in first_ids(collection, bm25["q-car"])
    assert first_ids(collection, bm25["q-car"])[0] == "d-economy"
    for qid, (_, relevant) in QUERIES.items():
        assert first_ids(collection, dense[qid])[0] == relevant
    assert len(dense["q-car"]) == len(DOCUMENTS)
    scores = [score for _, score in dense["q-car"]]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1.0001


@pytest.mark.slow
@pytest.mark.no_database
def test_measure_reports_every_baseline_and_the_best_fusion(tmp_path):
    collection = tiny_collection(tmp_path / "tiny")
    measured = baselines.measure(collection, dense=True, show_progress=False)
    assert measured["dense_minilm256"]["nDCG@10"] == 1.0
    assert measured["bm25s"]["nDCG@10"] < 1.0 and measured["bm25s"]["queries"] == 3
    assert set(measured["fusion"]) == set(runner.fusion_variants())
    for metrics in measured["fusion"].values():
        assert 0 < metrics["nDCG@10"] <= 1 and metrics["queries"] == 3
    best = measured["best_fusion"]
    assert best["ndcg@10"] == max(m["nDCG@10"] for m in measured["fusion"].values())
    assert measured["fusion"][best["name"]]["nDCG@10"] == best["ndcg@10"]
    assert set(measured["seconds"]) == {"bm25s", "dense_minilm256"}


def test_without_the_eval_extra_one_line_says_what_to_install(tmp_path, monkeypatch):
    # None in sys.modules makes the import fail as if the package were absent.
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    collection = tiny_collection(tmp_path / "tiny")
    measured = baselines.measure(collection, dense=True, show_progress=False)
    assert "pip install 'dailypapers[eval]'" in measured["dense_minilm256"]["error"]
    assert "fusion" not in measured and measured["bm25s"]["queries"] == 3
    result = table_input(baselines=measured)
    said = [line for line in _table(result).splitlines() if "dailypapers[eval]" in line]
    assert len(said) == 1 and said[0].split() == [
        *"dense MiniLM 256 the dense baseline needs sentence-transformers and torch".split(),
        *"(pip install 'dailypapers[eval]')".split(),
    ]


def test_the_table_says_how_far_hybrid_is_above_the_best_fusion():
    hybrid = {"nDCG@10": 0.515, "Recall@100": 0.8, "MRR@10": 0.7}
    fused = {"nDCG@10": 0.5, "Recall@100": 0.8, "MRR@10": 0.7}
    result = table_input(
        modes={"hybrid": hybrid},
        baselines={
            "bm25s": fused,
            "dense_minilm256": fused,
            "fusion": {"rrf60": fused},
            "best_fusion": {"name": "rrf60", "ndcg@10": 0.5},
        },
    )
    result["hybrid_above_best_fusion_percent"] = baselines.above_best_fusion(result)
    table = _table(result)
    assert "bm25s+dense rrf60" in table and "dense MiniLM 256" in table
    assert (
        "hybrid is +3.00% nDCG@10 against the best fusion baseline (bm25s+dense rrf60, 0.5000)"
        in table
    )


def test_the_table_says_how_sure_the_margin_is():
    # Two judged queries: hybrid far better on one, a little worse on the other.
    hybrid = {"nDCG@10": 0.55, "Recall@100": 0.8, "MRR@10": 0.7, BY_QUERY: {"a": 0.7, "b": 0.4}}
    fused = {"nDCG@10": 0.5, "Recall@100": 0.8, "MRR@10": 0.7, BY_QUERY: {"a": 0.5, "b": 0.5}}
    result = table_input(
        modes={"hybrid": hybrid},
        baselines={"fusion": {"rrf60": fused}, "best_fusion": {"name": "rrf60", "ndcg@10": 0.5}},
    )
    result["hybrid_above_best_fusion_percent"] = baselines.above_best_fusion(result)
    # Resampling the two queries: both "a" (+40%), both "b" (-20%), or one of each (+10%).
    assert baselines.above_best_fusion_interval(result) == (-20.0, 40.0)
    result["hybrid_above_best_fusion_interval"] = [-20.0, 40.0]
    assert "(bm25s+dense rrf60, 0.5000; 95% interval over the queries -20.00% to +40.00%)" in (
        _table(result)
    )
