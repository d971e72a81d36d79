"""The corpus of benchmarks/search.py: its papers, their vectors, the database and the index.

The real arXiv rows and their cached real vectors, the synthesised million
papers and their made vectors (see search.py's docstring), loading them into
the database, and building the vector index in a child process.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _harness import ROOT

SNAPSHOT = ROOT.parent / "shared" / "data" / "arxiv" / "arxiv_cs_2025-03_2026-07.jsonl.gz"
CACHE = Path(__file__).resolve().parent / ".cache"


def real_rows() -> list[dict]:
    with gzip.open(SNAPSHOT, "rt") as handle:
        return [json.loads(line) for line in handle]


def real_vectors(rows: list[dict], *, tokens: int = 256) -> np.ndarray:
    """The real papers' vectors, read to ``tokens`` (256: whole, as the site
    keeps them; 128, the first reading's, embeds in half the time)."""
    from dailypapers.papers.text import clean_text
    from dailypapers.search.vectors import embeddings

    CACHE.mkdir(exist_ok=True)
    read = "" if tokens == embeddings.WINDOW else f"-{tokens}tokens"
    path = CACHE / f"{embeddings.MODEL_NAME}-{len(rows)}{read}.npy"
    if path.exists():
        return np.load(path)
    texts = [
        embeddings.document_text(clean_text(r["title"]), clean_text(r["abstract"])) for r in rows
    ]
    model = embeddings.embedder()
    out = np.zeros((len(texts), embeddings.DIM), dtype=np.float32)
    started = time.perf_counter()
    for start in range(0, len(texts), 2048):
        out[start : start + 2048] = model.embed(texts[start : start + 2048], max_tokens=tokens)
        done = start + 2048
        rate = done / (time.perf_counter() - started)
        print(f"  embedding {min(done, len(texts))}/{len(texts)} ({rate:.0f}/s)", flush=True)
    np.save(path, out)
    return out


def synthetic_papers(rows: list[dict], count: int, seed: int = 7):
    """Yield (index of the real paper whose title it has, title, abstract),
    made of real titles and real abstract sentences."""
    rng = random.Random(seed)
    sentences = [
        s
        for r in rows
        for s in re.split(r"(?<=[.!?])\s+", " ".join(r["abstract"].split()))
        if len(s) > 30
    ]
    titles = [" ".join(r["title"].split()) for r in rows]
    for _ in range(count):
        source = rng.randrange(len(titles))
        abstract = " ".join(rng.choice(sentences) for _ in range(rng.randint(4, 8)))
        yield source, titles[source], abstract


def made_vectors(rows: list[dict], count: int, kind: str, *, tokens: int = 256) -> np.ndarray:
    """Vectors for the synthesised papers (see search.py's docstring), from
    the real ones read to ``tokens``."""
    rng = np.random.default_rng(5)
    if kind == "random":
        matrix = rng.standard_normal((count, 384), dtype=np.float32)
    else:
        real = real_vectors(rows, tokens=tokens)
        sources = np.fromiter(
            (source for source, _, _ in synthetic_papers(rows, count)), dtype=np.int64, count=count
        )
        matrix = real[sources]
        # |noise| = 0.035 * sqrt(384) = 0.69: cosine to the real vector about 0.82.
        for start in range(0, count, 100_000):
            part = matrix[start : start + 100_000]
            part += rng.standard_normal(part.shape, dtype=np.float32) * np.float32(0.035)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix


def nearest_neighbour_cosine(matrix: np.ndarray, sample: int = 200, seed: int = 3) -> float:
    """Mean cosine of a sampled vector to its nearest other vector: how tight
    the neighbourhoods are (real and made vectors are compared by it)."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(matrix), size=min(sample, len(matrix)), replace=False)
    best = np.full(len(rows), -1.0, dtype=np.float32)
    probe = matrix[rows].T
    for start in range(0, len(matrix), 100_000):
        sims = matrix[start : start + 100_000] @ probe
        own = (rows >= start) & (rows < start + 100_000)
        sims[rows[own] - start, np.flatnonzero(own)] = -1.0  # not itself
        best = np.maximum(best, sims.max(axis=0))
    return float(best.mean())


def load(scale: str, rows: list[dict]) -> tuple[float, int]:
    """Fill the database; returns (seconds, papers). The full-text index is built as rows go in."""
    from django.db import transaction

    from dailypapers.ingest.services import snapshot_import
    from dailypapers.papers.bulk import NewPaper, insert_papers

    started = time.perf_counter()
    if scale == "75k":
        snapshot_import(path=SNAPSHOT, show_progress=False)
        return time.perf_counter() - started, len(rows)
    batch, total = [], 0
    for n, (_, title, abstract) in enumerate(synthetic_papers(rows, 1_000_000)):
        batch.append(
            NewPaper(
                local_key=f"syn{n}",
                title=title,
                title_key="",
                abstract=abstract,
                metadata_source="benchmark",
            )
        )
        if len(batch) == 10_000:
            with transaction.atomic():
                insert_papers(batch)
            total += len(batch)
            batch = []
            if total % 100_000 == 0:
                print(
                    f"  loaded {total} ({total / (time.perf_counter() - started):.0f}/s)",
                    flush=True,
                )
    return time.perf_counter() - started, total


def analysed(load_result: tuple[float, int]) -> tuple[float, int]:
    """After a bulk load, what autovacuum does within a minute or so, timed
    with the load: on PostgreSQL, VACUUM ANALYZE (the keyword search reads
    common words' counts from ANALYZE, and a vacuum running under the
    searches would be measured instead of them)."""
    from django.db import connection

    from dailypapers.search.backends import lexical_backend

    seconds, papers = load_result
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE papers_paper")
    lexical_backend().refresh_statistics()
    return seconds + time.perf_counter() - started, papers


def keyword_index_size() -> int:
    from django.conf import settings

    folder = settings.SEARCH_INDEX_DIR / "keywords"
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def lexical_size() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT (SELECT coalesce(sum(length(block)), 0) FROM search_fts_data)"
                " + (SELECT coalesce(sum(length(sz)), 0) FROM search_fts_docsize)"
                " + (SELECT count(*) * 24 FROM search_fts_idx)"
            )
        else:
            cursor.execute(
                "SELECT pg_relation_size('search_tsv_gin') + (SELECT sum(pg_column_size(search_tsv)) FROM papers_paper)"
            )
        return int(cursor.fetchone()[0])


def build_vectors(ids: np.ndarray, matrix: np.ndarray, script: str) -> tuple[float, int]:
    """Build the vector index in a child process (``script --build-child``,
    which calls build_child), as the site's worker does; this process then
    loads it, as a web process does: searched in the process that had just
    built it, the same index is slower (docs/benchmarks.md). The time
    includes the child's start and reading the vectors."""
    from django.conf import settings

    from dailypapers.search.vectors import embeddings

    with tempfile.TemporaryDirectory(prefix="dp-bench-vectors-") as tmp:
        np.save(Path(tmp) / "ids.npy", ids)
        np.save(Path(tmp) / "matrix.npy", matrix)
        started = time.perf_counter()
        subprocess.run([sys.executable, script, "--build-child", tmp], check=True)
        seconds = time.perf_counter() - started
    size = sum(
        p.stat().st_size for p in settings.SEARCH_INDEX_DIR.glob(f"{embeddings.MODEL_NAME}.*")
    )
    return seconds, size


def build_child(folder: str) -> None:
    """The child of build_vectors: Django set up from the inherited environment."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "dailypapers.settings"
    import django

    django.setup()
    from django.conf import settings

    from dailypapers.search.vectors import embeddings, index

    ids, matrix = np.load(Path(folder) / "ids.npy"), np.load(Path(folder) / "matrix.npy")
    batches = ((ids[s : s + 50_000], matrix[s : s + 50_000]) for s in range(0, len(ids), 50_000))
    index.build(
        directory=settings.SEARCH_INDEX_DIR,
        model=embeddings.MODEL_NAME,
        dim=embeddings.DIM,
        batches=batches,
        count=len(ids),
        source="benchmark",
        ann_min_vectors=settings.SEARCH_ANN_MIN_VECTORS,
    )
