"""The vector index file: approximate agrees with exact, kinds by size, damage falls back."""

import os

import numpy as np
import pytest

from dailypapers.search import hybrid, selectors, services
from dailypapers.search.models import Embedding
from dailypapers.search.query import SearchQuery
from dailypapers.search.vectors import embeddings
from dailypapers.search.vectors import index as vector_index
from tests.factories import add_paper

pytestmark = pytest.mark.django_db


def test_approximate_index_above_the_threshold_agrees_with_exact(corpus, settings):
    for i in range(80):
        add_paper(
            f"2505.{i:05d}",
            f"Paper number {i} about topic {i % 7}",
            f"Abstract {i} on subject {i % 5}.",
        )
    settings.SEARCH_ANN_MIN_VECTORS = 10
    # Every IVF cell visited: the approximation must then be exact.
    settings.SEARCH_IVF_NPROBE = 1000
    report = services.index_if_needed()
    assert report.index.kind == "ivf-pq" and report.index.count == 84
    index = hybrid.ready_index()
    query = embeddings.embed_query("mutual information")
    rows = list(Embedding.objects.values_list("paper_id", "vector"))
    matrix = np.stack([np.frombuffer(bytes(v), dtype="<f2").astype(np.float32) for _, v in rows])
    exact = [rows[i][0] for i in np.argsort(-(matrix @ query))[:5]]
    assert [pk for pk, _ in index.search(query, 5)] == exact
    assert exact[0] == corpus["mi"]
    # A hybrid search gives faiss one thread; the results are the same.
    one = index.search(query, 5, threads=1)
    assert [pk for pk, _ in one] == exact


def test_crossing_the_threshold_changes_the_index_kind_and_rebuilds_it(corpus, settings):
    for i in range(16):
        add_paper(f"2506.{i:05d}", f"Filler paper {i}", f"About filler subject {i}.")
    assert services.index_if_needed().index.kind == "flat"
    assert not services.index_if_needed().rebuilt
    settings.SEARCH_ANN_MIN_VECTORS = 10
    report = services.index_if_needed()
    assert report.rebuilt and report.index.kind == "ivf-pq"
    assert hybrid.ready_index().meta.kind == "ivf-pq"


def test_too_few_vectors_to_learn_codes_from_get_the_exact_scan(corpus, settings):
    settings.SEARCH_ANN_MIN_VECTORS = 1
    assert services.index_if_needed().index.kind == "flat"


def test_a_corrupt_index_file_falls_back_to_keywords(corpus, settings):
    services.index_if_needed()
    (settings.SEARCH_INDEX_DIR / f"{embeddings.MODEL_NAME}.faiss").write_bytes(b"garbage")
    meta = settings.SEARCH_INDEX_DIR / f"{embeddings.MODEL_NAME}.json"
    os.utime(meta, ns=(meta.stat().st_atime_ns, meta.stat().st_mtime_ns + 10**9))
    results = selectors.paper_search(query=SearchQuery(text="mutual information"))
    assert results.mode == "lexical" and results.hits


@pytest.mark.parametrize("ann_min", [10, 50_000])
def test_app_processes_map_the_index_file_instead_of_copying_it(corpus, settings, ann_min):
    """Mapped, several processes share one copy of the codes in the page cache."""
    for i in range(40):
        add_paper(f"2505.{i:05d}", f"Paper number {i}", f"Abstract {i} on subject {i % 5}.")
    settings.SEARCH_ANN_MIN_VECTORS = ann_min
    report = services.index_if_needed()
    index = hybrid.ready_index()
    assert index.meta.kind == report.index.kind == ("ivf-pq" if ann_min == 10 else "flat")
    assert index.search(embeddings.embed_query("mutual information"), 3)
    mapped = open(f"/proc/{os.getpid()}/maps").read()
    assert str(settings.SEARCH_INDEX_DIR / f"{embeddings.MODEL_NAME}.faiss") in mapped
    assert str(settings.SEARCH_INDEX_DIR / f"{embeddings.MODEL_NAME}.ids.npy") in mapped


def test_a_rebuild_removes_an_earlier_models_index_and_keeps_the_keyword_index(corpus, settings):
    """Renaming the model (as reading papers twice did) left its old index on disk for good."""
    directory = settings.SEARCH_INDEX_DIR
    directory.mkdir(parents=True, exist_ok=True)
    earlier = "all-MiniLM-L6-v2-int8-dynamic-onnx-128"
    for suffix in (".faiss", ".ids.npy", ".json"):
        (directory / f"{earlier}{suffix}").write_bytes(b"an earlier model's index")
    (directory / "keywords.json").write_text("{}")
    (directory / "keywords").mkdir()
    assert services.index_if_needed().rebuilt
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        [f"{embeddings.MODEL_NAME}{s}" for s in (".faiss", ".ids.npy", ".json")]
        + ["keywords", "keywords.json"]
    )


def _stored(pk: int) -> np.ndarray:
    vector = Embedding.objects.get(paper_id=pk).vector
    return np.frombuffer(bytes(vector), dtype="<f2").astype(np.float32)


@pytest.mark.parametrize("ann_min", [10, 50_000])
def test_the_index_gives_back_each_papers_stored_vector_without_the_database(
    corpus, settings, ann_min, django_assert_num_queries
):
    """A "For you" page ranks up to 1,500 candidates by their vectors: read
    from the database, that was a third of the page's time."""
    for i in range(40):
        add_paper(f"2505.{i:05d}", f"Paper number {i}", f"Abstract {i} on subject {i % 5}.")
    settings.SEARCH_ANN_MIN_VECTORS = ann_min
    services.index_if_needed()
    assert hybrid.ready_index().meta.kind == ("ivf-pq" if ann_min == 10 else "flat")
    with django_assert_num_queries(0):
        found = selectors.paper_vectors(ids=[corpus["vision"], corpus["mi"], corpus["mi"]])
    assert sorted(found) == sorted([corpus["vision"], corpus["mi"]])
    # One the index lacks is looked for in the database, and has no vector there either.
    assert selectors.paper_vectors(ids=[10**9, corpus["mi"]]).keys() == {corpus["mi"]}
    for pk, vector in found.items():
        assert vector.dtype == np.float32
        np.testing.assert_array_equal(vector, _stored(pk))


def test_papers_embedded_since_the_index_was_built_are_read_from_the_database(corpus):
    services.index_if_needed()
    later = add_paper("2507.00001", "A paper embedded later", "Its vector is not in the index yet.")
    services.embeddings_refresh()
    assert later not in hybrid.ready_index().ids
    found = selectors.paper_vectors(ids=[corpus["mi"], later])
    assert sorted(found) == sorted([corpus["mi"], later])
    np.testing.assert_array_equal(found[later], _stored(later))


def test_ids_out_of_order_in_the_file_are_found_all_the_same(corpus, settings):
    """The worker writes the ids in order; an index built otherwise (the
    search benchmark's, in the snapshot's order) is looked up through a
    sorted copy."""
    services.index_if_needed()
    index = hybrid.ready_index()
    shuffled = vector_index.VectorIndex(index.index, index.ids[::-1].copy(), index.meta)
    pk = int(index.ids[0])
    found = shuffled.vectors([pk])
    # Read backwards, the first row carries the last id and the last row the first.
    np.testing.assert_array_equal(found[pk], index.index.reconstruct(len(index.ids) - 1))
    assert list(shuffled.vectors([int(i) for i in index.ids])) == [int(i) for i in index.ids]
