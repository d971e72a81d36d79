"""The vector index: a file in the data directory, built from the stored vectors.

Below ``SEARCH_ANN_MIN_VECTORS`` the index is exact (a flat inner-product
scan, a few milliseconds at 100k); above, an approximate index (faiss),
chosen by ``SEARCH_ANN_INDEX``:

- "ivf-pq" (the default): an inverted file of k-means cells (about
  8 sqrt(n)), each vector stored in it as a 4-bit product-quantised code of
  its offset from its cell's centre (two dimensions a code, 96 bytes),
  in faiss's "fast-scan" layout, which scores 32 codes at once in SIMD
  registers; ``SEARCH_IVF_NPROBE`` cells are scanned and the best
  candidates re-ranked exactly with the vectors at the 16 bits they are
  stored in. At a million papers it found .958 of the true top 10 in 1.4
  ms, where "hnsw-sq8" took 3.2 ms for .948 on the same machine, and built
  in four minutes instead of fifteen (docs/benchmarks.md, "Search"): a
  graph walk waits on memory at every step, a cell scan streams it.
- "hnsw-sq8": an HNSW graph (M=32, efConstruction=200) over the vectors
  quantised to 8 bits a dimension, re-ranked exactly like "ivf-pq"; about
  1.5 times faster than "hnsw" for the same recall.
- "hnsw": the same graph over 32-bit vectors. Over the 74,728 real papers,
  for real queries' vectors, it found 0.973 of the true top 10 at ef 256 in
  1 ms, where M=16 with efConstruction=40 found 0.904 and M=32 with 100
  found 0.953.

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np

FLAT, HNSW, HNSW_SQ8, IVF_PQ = "flat", "hnsw", "hnsw-sq8", "ivf-pq"
APPROXIMATE = (IVF_PQ, HNSW_SQ8, HNSW)
# Candidates re-ranked exactly per result wanted ("hnsw-sq8"). At a million
# papers 2, 5 and 10 found the same share of the true top 10: the 8-bit
# distances order the graph's candidates almost exactly; 4 leaves room.
REFINE_FACTOR = 4
# The 4-bit codes of "ivf-pq" order candidates less well: re-ranking 200
# found .958 of the true top 10 where 100 found .952 (320 cells scanned),
# for 0.07 ms more. A search for 100 (hybrid search's candidates) re-ranks
# two per result: 2,000 candidates took 2.6 ms, 200 1.1 ms.
REFINE_CANDIDATES = 200
# Vectors the 8-bit ranges of "hnsw-sq8" are learned from (their minimum and
# maximum a dimension): a random sample, since vectors arrive oldest first.
SQ_TRAINING_SAMPLE = 100_000
# "ivf-pq" codes take 2**4 values, learned from at least as many vectors:
# fewer get the exact scan.
PQ_MIN_VECTORS = 16


def kind_for(count: int, *, ann_min_vectors: int, ann_kind: str) -> str:
    if ann_kind not in APPROXIMATE:
        raise ValueError(f"unknown vector index kind {ann_kind!r}: use one of {APPROXIMATE}")
    if count < ann_min_vectors or (ann_kind == IVF_PQ and count < PQ_MIN_VECTORS):
        return FLAT
    return ann_kind


# k-means cells of "ivf-pq": about 8 sqrt(n), each trained on this many
# vectors (below 39, faiss's k-means is unreliable and says so). At a million
# papers 8,192 cells found .954 of the true top 10 scanning 256 of them
# (1.51 ms), where 4,096 needed 320 cells (1.81 ms) for .953.
CELLS_PER_ROOT = 8
TRAINING_PER_CELL = 50


def ivf_cells(count: int) -> int:
    return max(1, min(int(CELLS_PER_ROOT * count**0.5), count // TRAINING_PER_CELL))


@dataclass(frozen=True)
class IndexMeta:
    model: str
    dim: int
    count: int
    kind: str
    # What the index was built from: the vectors' count and newest embedding time.
    source: str
    built_at: str


# faiss's fast-scan search for one query scans its cells on one thread
# unless asked for implementation 14, which splits them over the process's
# OpenMP threads (every core, as the linear scan's BLAS does); the results
# are the same. And every search of a process runs on one thread, so those
# OpenMP workers form one team: libgomp keeps a team per thread that starts
# parallel work, and once the teams hold more threads than cores its workers
# sleep between searches instead of spinning. At a million papers, 320
# cells: 1.84 ms on one OpenMP thread, 1.53 ms on two started from several
# threads, 1.11 ms on two started from this one.
FAST_SCAN_SPLIT_CELLS = 14
_searcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vector-index")
_ALL_THREADS = faiss.omp_get_max_threads()


class VectorIndex:
    def __init__(self, index: faiss.Index, ids: np.ndarray, meta: IndexMeta) -> None:
        self.index = index
        self.ids = ids
        self.meta = meta
        if meta.kind == IVF_PQ:
            faiss.downcast_index(index.base_index).implem = FAST_SCAN_SPLIT_CELLS

    def search(
        self,
        vector: np.ndarray,
        k: int,
        *,
        ef: int = 384,
        nprobe: int = 320,
        threads: int | None = None,
    ) -> list[tuple[int, float]]:
        """The ``k`` nearest ids with their inner products. ``ef`` (HNSW) and
        ``nprobe`` (IVF: cells visited) trade speed for recall; they are passed
        per call, so threads sharing the index never change each other's.
        ``threads``: how many OpenMP threads may share the search (default
        every core)."""
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
        elif self.meta.kind == IVF_PQ:
            params = faiss.IndexRefineSearchParameters(
                base_index_params=faiss.SearchParametersIVF(nprobe=nprobe),
                k_factor=max(2, -(-REFINE_CANDIDATES // k)),
            )
        query = vector.reshape(1, -1).astype(np.float32)
        scores, rows = _searcher.submit(
            self._search, query, min(k, len(self.ids)), params, threads or _ALL_THREADS
        ).result()
        return [
            (int(self.ids[r]), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0
        ]

    def _search(self, query: np.ndarray, k: int, params, threads: int):
        """On the searcher thread, whose OpenMP setting it alone changes."""
        faiss.omp_set_num_threads(threads)
        return self.index.search(query, k, params=params)


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
    if kind in (IVF_PQ, HNSW_SQ8):
        # Training needs a sample of the whole collection, not its first
        # batch (batches come in id order, that is by age), so all are read
        # first; the index holds every vector anyway.
        parts = []
        for ids, vectors in batches:
            parts.append(np.ascontiguousarray(vectors, dtype=np.float32))
            all_ids.append(ids.astype(np.int64))
        matrix = np.concatenate(parts) if parts else np.zeros((0, dim), dtype=np.float32)
        del parts
        if kind == IVF_PQ:
            index, sample_size = _ivf_pq(dim, len(matrix))
        else:
            index, sample_size = _hnsw_sq8(dim, hnsw_m, ef_construction)
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


def _refined(base: faiss.Index, dim: int) -> faiss.Index:
    """``base``'s candidates re-ranked with the vectors at 16 bits (the
    precision they are stored in); faiss's wrapper keeps both alive."""
    exact = faiss.IndexScalarQuantizer(
        dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
    )
    return faiss.IndexRefine(base, exact)


def _hnsw_sq8(dim: int, m: int, ef_construction: int) -> tuple[faiss.Index, int]:
    """(index, training sample size)."""
    graph = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, m, faiss.METRIC_INNER_PRODUCT)
    graph.hnsw.efConstruction = ef_construction
    return _refined(graph, dim), SQ_TRAINING_SAMPLE


def _ivf_pq(dim: int, count: int) -> tuple[faiss.Index, int]:
    cells = ivf_cells(count)
    # The cell centres are kept at 16 bits: finding a query's nearest cells
    # reads all of them (8,000 x 384 at a million papers): at 32 bits that
    # read took 0.54 ms of a 1.46 ms search, which at 16 bits took 1.28 ms.
    centres = faiss.IndexScalarQuantizer(
        dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
    )
    cells_index = faiss.IndexIVFPQFastScan(
        centres, dim, cells, dim // 2, 4, faiss.METRIC_INNER_PRODUCT
    )
    # k-means itself assigns with a 32-bit flat index (BLAS over the whole
    # sample), and the centres it finds are then added to ``centres``.
    clustering = faiss.IndexFlatIP(dim)
    cells_index.clustering_index = clustering
    # faiss's Python wrapper ties most indexes to the objects they point to
    # (``referenced_objects``), but not a fast-scan index to its quantizer.
    cells_index.referenced_objects = [centres, clustering]
    return _refined(cells_index, dim), cells * TRAINING_PER_CELL


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
