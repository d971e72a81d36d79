"""The vector index: a file in the data directory, built from the stored vectors.

Below ``SEARCH_ANN_MIN_VECTORS`` the index is exact (a flat inner-product
scan, a few milliseconds at 100k); above, an approximate index (faiss),
chosen by ``SEARCH_ANN_INDEX``:

- "hnsw-sq8" (the default): an HNSW graph (M=32, efConstruction=200) over
  the vectors quantised to 8 bits a dimension, whose best candidates are
  re-ranked exactly with the vectors at the 16 bits they are stored in.
  Walking the graph reads a quarter of the memory a 32-bit graph reads, and
  at a million papers memory is what a walk waits on: for the same recall
  it searched about 1.5 times faster than "hnsw" (docs/benchmarks.md,
  "Search"), and the file is smaller.
- "hnsw": the same graph over 32-bit vectors. Over the 74,728 real papers,
  for real queries' vectors, it found 0.973 of the true top 10 at ef 256 in
  1 ms, where M=16 with efConstruction=40 found 0.904 and M=32 with 100
  found 0.953.
- "ivf": an inverted file of k-means cells: quicker to build, but there it
  needed 128 of 547 cells for 0.957.

A JSON file beside it records the model, dimension, kind and the state of
the vectors it was built from, so a change of model, kind or vectors triggers
a rebuild, and web processes reload a rebuilt index on their next query.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np

FLAT, HNSW, HNSW_SQ8, IVF = "flat", "hnsw", "hnsw-sq8", "ivf"
APPROXIMATE = (HNSW_SQ8, HNSW, IVF)
# Candidates re-ranked exactly per result wanted ("hnsw-sq8"). At a million
# papers 2, 5 and 10 found the same share of the true top 10: the 8-bit
# distances order the graph's candidates almost exactly; 4 leaves room.
REFINE_FACTOR = 4
# Vectors the 8-bit ranges are learned from (their minimum and maximum a
# dimension): a random sample, since vectors arrive oldest first.
SQ_TRAINING_SAMPLE = 100_000


def kind_for(count: int, *, ann_min_vectors: int, ann_kind: str) -> str:
    if ann_kind not in APPROXIMATE:
        raise ValueError(f"unknown vector index kind {ann_kind!r}: use one of {APPROXIMATE}")
    return ann_kind if count >= ann_min_vectors else FLAT


def ivf_cells(count: int) -> int:
    """k-means cells of an IVF index: about 2 sqrt(n), and at least 40
    training vectors a cell (fewer and faiss's k-means is unreliable)."""
    return max(1, min(int(2 * count**0.5), count // 40))


@dataclass(frozen=True)
class IndexMeta:
    model: str
    dim: int
    count: int
    kind: str
    # What the index was built from: the vectors' count and newest embedding time.
    source: str
    built_at: str


class VectorIndex:
    def __init__(self, index: faiss.Index, ids: np.ndarray, meta: IndexMeta) -> None:
        self.index = index
        self.ids = ids
        self.meta = meta

    def search(
        self, vector: np.ndarray, k: int, *, ef: int = 256, nprobe: int = 128
    ) -> list[tuple[int, float]]:
        """The ``k`` nearest ids with their inner products. ``ef`` (HNSW) and
        ``nprobe`` (IVF: cells visited) trade speed for recall; they are passed
        per call, so threads sharing the index never change each other's."""
        if not len(self.ids) or k <= 0:
            return []
        params = None
        if self.meta.kind == HNSW:
            params = faiss.SearchParametersHNSW(efSearch=max(ef, k))
        elif self.meta.kind == HNSW_SQ8:
            params = faiss.IndexRefineSearchParameters(
                base_index_params=faiss.SearchParametersHNSW(efSearch=max(ef, k * REFINE_FACTOR)),
                k_factor=REFINE_FACTOR,
            )
        elif self.meta.kind == IVF:
            params = faiss.SearchParametersIVF(nprobe=nprobe)
        scores, rows = self.index.search(
            vector.reshape(1, -1).astype(np.float32), min(k, len(self.ids)), params=params
        )
        return [
            (int(self.ids[r]), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0
        ]


def _paths(directory: Path, model: str) -> tuple[Path, Path, Path]:
    base = directory / model
    return base.with_suffix(".faiss"), base.with_suffix(".ids.npy"), base.with_suffix(".json")


def build(
    *,
    directory: Path,
    model: str,
    dim: int,
    batches: Iterable[tuple[np.ndarray, np.ndarray]],
    count: int,
    source: str,
    ann_min_vectors: int,
    ann_kind: str = HNSW,
    hnsw_m: int = 32,
    ef_construction: int = 200,
    seed: int = 1234,
) -> IndexMeta:
    """Write a new index from (ids, float32 vectors) batches, replacing the old one atomically."""
    kind = kind_for(count, ann_min_vectors=ann_min_vectors, ann_kind=ann_kind)
    all_ids = []
    rng = np.random.default_rng(seed)
    if kind in (IVF, HNSW_SQ8):
        # Training needs a sample of the whole collection, not its first
        # batch (batches come in id order, that is by age), so all are read
        # first; the index holds every vector anyway.
        parts = []
        for ids, vectors in batches:
            parts.append(np.ascontiguousarray(vectors, dtype=np.float32))
            all_ids.append(ids.astype(np.int64))
        matrix = np.concatenate(parts) if parts else np.zeros((0, dim), dtype=np.float32)
        del parts
        if kind == IVF:
            cells = ivf_cells(len(matrix))
            index = faiss.IndexIVFFlat(
                faiss.IndexFlatIP(dim), dim, cells, faiss.METRIC_INNER_PRODUCT
            )
            sample_size = cells * 40
        else:
            graph = faiss.IndexHNSWSQ(
                dim, faiss.ScalarQuantizer.QT_8bit, hnsw_m, faiss.METRIC_INNER_PRODUCT
            )
            graph.hnsw.efConstruction = ef_construction
            # Re-ranked at 16 bits: the precision the vectors are stored in.
            exact = faiss.IndexScalarQuantizer(
                dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
            )
            index = faiss.IndexRefine(graph, exact)  # faiss's wrapper keeps both alive
            sample_size = SQ_TRAINING_SAMPLE
        if len(matrix):
            sample = rng.choice(len(matrix), size=min(len(matrix), sample_size), replace=False)
            index.train(matrix[np.sort(sample)])
            index.add(matrix)
    else:
        if kind == HNSW:
            index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = ef_construction
        else:
            index = faiss.IndexFlatIP(dim)
        for ids, vectors in batches:
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
            all_ids.append(ids.astype(np.int64))
    ids = np.concatenate(all_ids) if all_ids else np.zeros(0, dtype=np.int64)
    meta = IndexMeta(model, dim, int(len(ids)), kind, source, dt.datetime.now(dt.UTC).isoformat())
    directory.mkdir(parents=True, exist_ok=True)
    index_path, ids_path, meta_path = _paths(directory, model)
    tmp = f".tmp-{os.getpid()}"
    faiss.write_index(index, str(index_path) + tmp)
    with open(str(ids_path) + tmp, "wb") as handle:
        np.save(handle, ids)
    Path(str(meta_path) + tmp).write_text(json.dumps(asdict(meta)))
    # The meta file goes last: a reader that sees it sees a complete index.
    os.replace(str(index_path) + tmp, index_path)
    os.replace(str(ids_path) + tmp, ids_path)
    os.replace(str(meta_path) + tmp, meta_path)
    return meta


def read_meta(directory: Path, model: str) -> IndexMeta | None:
    try:
        return IndexMeta(**json.loads(_paths(directory, model)[2].read_text()))
    except (FileNotFoundError, json.JSONDecodeError, TypeError):
        return None


class _Cache:
    """One loaded index per process, reloaded when a rebuild replaced the files."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._index: VectorIndex | None = None

    def get(self, directory: Path, model: str) -> VectorIndex | None:
        index_path, ids_path, meta_path = _paths(directory, model)
        try:
            stamp = meta_path.stat().st_mtime_ns
        except FileNotFoundError:
            return None
        key = (str(directory), model, stamp)
        with self._lock:
            if key != self._key:
                meta = read_meta(directory, model)
                if meta is None:
                    return None
                self._index = VectorIndex(
                    faiss.read_index(str(index_path)), np.load(ids_path), meta
                )
                self._key = key
            return self._index


cache = _Cache()
