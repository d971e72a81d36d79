"""The vector index: a file in the data directory, built from the stored vectors.

Below ``SEARCH_ANN_MIN_VECTORS`` the index is exact (a flat inner-product
scan, a few milliseconds at 100k); above, an HNSW graph (faiss). A JSON file
beside it records the model, dimension, kind and the state of the vectors it
was built from, so a change of model or new vectors trigger a rebuild, and web
processes reload a rebuilt index on their next query.
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

FLAT, HNSW = "flat", "hnsw"


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
        self, vector: np.ndarray, k: int, *, ef: int | None = None
    ) -> list[tuple[int, float]]:
        if not len(self.ids) or k <= 0:
            return []
        if self.meta.kind == HNSW:
            self.index.hnsw.efSearch = max(ef or 0, k, 64)
        scores, rows = self.index.search(
            vector.reshape(1, -1).astype(np.float32), min(k, len(self.ids))
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
    hnsw_m: int = 32,
    ef_construction: int = 200,
) -> IndexMeta:
    """Write a new index from (ids, float32 vectors) batches, replacing the old one atomically."""
    kind = HNSW if count >= ann_min_vectors else FLAT
    if kind == HNSW:
        index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = ef_construction
    else:
        index = faiss.IndexFlatIP(dim)
    all_ids = []
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
