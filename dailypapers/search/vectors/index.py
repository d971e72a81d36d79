"""The vector index: files in the data directory, built from the stored vectors.

Below ``SEARCH_ANN_MIN_VECTORS`` the index is exact (a flat inner-product
scan, a few milliseconds at 100k). Above, it is approximate ("ivf-pq"): an
inverted file of k-means cells, each vector kept as a 4-bit product-quantised
code of its offset from its cell's centre, in faiss's "fast-scan" layout,
which scores 32 codes at once in SIMD registers; ``SEARCH_IVF_NPROBE`` cells
are scanned a query and the best candidates re-ranked exactly with the
vectors at 16 bits. It was the fastest index for a recall of .95 at a
million papers and the quickest to build (docs/decisions.md; figures in
docs/benchmarks.md).

A JSON file beside it records the model, dimension, kind and the state of
the vectors it was built from: a change of any rebuilds it, and web
processes load a rebuilt index at their next query.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

import faiss
import numpy as np
from django.conf import settings

from dailypapers.core.cache import KeptValue

FLAT, IVF_PQ = "flat", "ivf-pq"
# Map the inverted lists and the flat codes (the exact vectors re-ranked, or
# the whole flat index) from the file instead of copying them.
MMAP_FLAGS = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_MMAP_IFC
# Candidates the 4-bit codes propose for exact re-ranking, in all (at least
# two per result): fewer lost recall, more cost time (docs/benchmarks.md).
REFINE_CANDIDATES = 200
# "ivf-pq" codes take 2**4 values, learned from at least as many vectors.
PQ_MIN_VECTORS = 16
# k-means cells: about 8 sqrt(n), each trained on 50 vectors (below 39
# faiss's k-means is unreliable and says so).
CELLS_PER_ROOT = 8
TRAINING_PER_CELL = 50


def kind_for(count: int, *, ann_min_vectors: int) -> str:
    return IVF_PQ if count >= max(ann_min_vectors, PQ_MIN_VECTORS) else FLAT


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


# faiss's fast-scan search splits one query's cells over the OpenMP threads
# only with implementation 14. All searches of a process run on one thread of
# its own so that those OpenMP workers form a single team: libgomp keeps a
# team per calling thread, and with more team threads than cores they sleep
# between searches instead of spinning.
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
        self, vector: np.ndarray, k: int, *, nprobe: int | None = None, threads: int | None = None
    ) -> list[tuple[int, float]]:
        """The ``k`` nearest ids with their inner products. ``nprobe`` (cells
        scanned, default SEARCH_IVF_NPROBE) trades speed for recall, per call;
        ``threads``: how many OpenMP threads may share the search (default all)."""
        if not len(self.ids) or k <= 0:
            return []
        params = None
        if self.meta.kind == IVF_PQ:
            params = faiss.IndexRefineSearchParameters(
                base_index_params=faiss.SearchParametersIVF(
                    nprobe=nprobe or settings.SEARCH_IVF_NPROBE
                ),
                k_factor=max(2, -(-REFINE_CANDIDATES // k)),
            )
        query = vector.reshape(1, -1).astype(np.float32)
        scores, rows = _searcher.submit(
            self._search, query, min(k, len(self.ids)), params, threads or _ALL_THREADS
        ).result()
        return [
            (int(self.ids[r]), float(s)) for r, s in zip(rows[0], scores[0], strict=True) if r >= 0
        ]

    def vectors(self, ids: Iterable[int]) -> dict[int, np.ndarray]:
        """The vectors (float32) the index holds of the papers ``ids``, exactly
        as stored: the flat index keeps them whole and the approximate one
        re-ranks with a 16-bit copy, the width they are stored at. Reading
        them here instead of from the database saved a "For you" page a
        third of its time (docs/benchmarks.md, "For you")."""
        wanted = np.fromiter(ids, dtype=np.int64)
        if not len(wanted) or not len(self.ids):
            return {}
        keys, order = self._sorted_ids
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        held = keys[at] == wanted
        rows = at[held] if order is None else order[at[held]]
        matrix = self.index.reconstruct_batch(rows)
        return dict(zip(wanted[held].tolist(), matrix, strict=True))

    @cached_property
    def _sorted_ids(self) -> tuple[np.ndarray, np.ndarray | None]:
        """(the ids sorted, their rows; None when the rows are in id order).
        The worker builds from the vectors in id order, so the (mapped) ids
        are searched as they are, with no copy per process."""
        if bool(np.all(self.ids[1:] > self.ids[:-1])):
            return self.ids, None
        order = np.argsort(self.ids, kind="stable")
        return self.ids[order], order

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
    seed: int = 1234,
) -> IndexMeta:
    """Write a new index from (ids, float32 vectors) batches, replacing the old one atomically."""
    kind = kind_for(count, ann_min_vectors=ann_min_vectors)
    all_ids = []
    if kind == IVF_PQ:
        # k-means needs a sample of the whole collection, not its first batch
        # (batches come in id order, that is by age): all are read first.
        parts = []
        for ids, vectors in batches:
            parts.append(np.ascontiguousarray(vectors, dtype=np.float32))
            all_ids.append(ids.astype(np.int64))
        matrix = np.concatenate(parts) if parts else np.zeros((0, dim), dtype=np.float32)
        del parts
        index, sample_size = _ivf_pq(dim, len(matrix))
        if len(matrix):
            rng = np.random.default_rng(seed)
            sample = rng.choice(len(matrix), size=min(len(matrix), sample_size), replace=False)
            index.train(matrix[np.sort(sample)])
            index.add(matrix)
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


def _ivf_pq(dim: int, count: int) -> tuple[faiss.Index, int]:
    """(index, training sample size)."""
    cells = ivf_cells(count)
    # Finding a query's nearest cells reads every centre: at 16 bits, not 32.
    centres = faiss.IndexScalarQuantizer(
        dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
    )
    cells_index = faiss.IndexIVFPQFastScan(
        centres, dim, cells, dim // 2, 4, faiss.METRIC_INNER_PRODUCT
    )
    # k-means assigns with a 32-bit flat index; the centres it finds then go to ``centres``.
    clustering = faiss.IndexFlatIP(dim)
    cells_index.clustering_index = clustering
    # faiss's wrapper keeps most indexes' parts alive, but not a fast-scan
    # index's quantizer.
    cells_index.referenced_objects = [centres, clustering]
    # The candidates are re-ranked with the vectors at 16 bits, as stored.
    exact = faiss.IndexScalarQuantizer(
        dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
    )
    return faiss.IndexRefine(cells_index, exact), cells * TRAINING_PER_CELL


def forget_other_models(directory: Path, *, keep: str) -> list[Path]:
    """Delete the index files of every model but ``keep``; the files deleted.

    A new model (or a new name for how papers are read) builds its index
    under its own name; the old one, a gigabyte at a million papers, is
    never read again. Only an index's own three files go: the keyword
    index's files share the directory.
    """
    gone = []
    for faiss_file in directory.glob("*.faiss"):
        if faiss_file.stem == keep:
            continue
        for path in _paths(directory, faiss_file.stem):
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            gone.append(path)
    return gone


def read_meta(directory: Path, model: str) -> IndexMeta | None:
    try:
        return IndexMeta(**json.loads(_paths(directory, model)[2].read_text()))
    except (FileNotFoundError, json.JSONDecodeError, TypeError):
        return None


def _where() -> tuple[Path, str]:
    from dailypapers.search.vectors.embeddings import MODEL_NAME

    return settings.SEARCH_INDEX_DIR, MODEL_NAME


def _stamp() -> tuple:
    directory, model = _where()
    try:
        return str(directory), model, _paths(directory, model)[2].stat().st_mtime_ns
    except FileNotFoundError:
        return str(directory), model, None


def _load() -> VectorIndex | None:
    directory, model = _where()
    index_path, ids_path, _ = _paths(directory, model)
    meta = read_meta(directory, model)
    if meta is None:
        return None
    # Memory-mapped, not read: every app process on the machine shares one copy
    # of the codes in the page cache (a million papers' index is most of a
    # gigabyte), and a rebuild's new file replaces the old one without
    # touching the mapped one (docs/benchmarks.md, "Memory").
    index = faiss.read_index(str(index_path), MMAP_FLAGS)
    return VectorIndex(index, np.load(ids_path, mmap_mode="r"), meta)


# One loaded index per process, loaded again when a rebuild replaced the files.
_loaded: KeptValue[VectorIndex | None] = KeptValue(_load, stamp=_stamp)


def current() -> VectorIndex | None:
    """The index of the configured directory and model, None before the first build."""
    return _loaded.get()
