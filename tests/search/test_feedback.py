"""Pseudo relevance feedback: a hybrid search asks by meaning a second time,
its query moved towards what its first ranking found best."""

import numpy as np
import pytest

from dailypapers.search import hybrid, selectors, services
from dailypapers.search.query import SearchQuery
from dailypapers.search.vectors import embeddings

pytestmark = pytest.mark.django_db


def vector_of(pk: int) -> np.ndarray:
    from dailypapers.papers.models import Paper

    return selectors.paper_vector(Paper.objects.get(pk=pk))


def test_the_query_moves_towards_its_best_results(corpus, settings):
    services.index_if_needed()
    query = embeddings.embed_query("cells")
    settings.SEARCH_FEEDBACK_DOCS, settings.SEARCH_FEEDBACK_WEIGHT = 1, 0.4
    moved = hybrid.feedback_query(query, [corpus["vision"], corpus["mi"]])
    target = vector_of(corpus["vision"])
    assert abs(np.linalg.norm(moved) - 1) < 1e-5
    assert moved @ target > query @ target + 0.1
    # Of the first ranking only the best SEARCH_FEEDBACK_DOCS count.
    assert moved @ vector_of(corpus["mi"]) < moved @ target
    settings.SEARCH_FEEDBACK_DOCS = 0
    assert hybrid.feedback_query(query, [corpus["vision"]]) is None
    assert hybrid.feedback_query(query, []) is None


def test_a_hybrid_search_ranks_with_the_moved_query(corpus, settings, monkeypatch):
    services.index_if_needed()
    asked = []
    search = hybrid.vector_index.VectorIndex.search

    def recorded(self, vector, k, **kwargs):
        asked.append(np.array(vector))
        return search(self, vector, k, **kwargs)

    monkeypatch.setattr(hybrid.vector_index.VectorIndex, "search", recorded)
    hybrid.ranked_ids(SearchQuery(text="segmenting cells in images"))
    assert len(asked) == 2 and not np.allclose(asked[0], asked[1])
    asked.clear()
    hybrid.ranked_ids(SearchQuery(text="segmenting cells in images", mode="vector"))
    settings.SEARCH_FEEDBACK_DOCS = 0
    hybrid.ranked_ids(SearchQuery(text="cells under a microscope"))
    assert len(asked) == 2  # one each: vector mode and feedback turned off ask once


def test_vectors_of_given_papers_are_read_by_primary_key(corpus):
    """Not through the (model, embedded_at) index, which SQLite chose when the
    model was in the WHERE, reading every stored vector's row per lookup."""
    from django.db import connection

    from dailypapers.papers.models import Paper
    from tests.factories import add_paper

    services.index_if_needed()
    # Embedded since the index was built: its vector is read from the database.
    later = Paper.objects.get(pk=add_paper("2509.00008", "Seal whiskers", "How seals feel."))
    services.embeddings_refresh()
    lookups = []

    def kept(execute, sql, params, many, context):
        if 'FROM "search_embedding" WHERE "search_embedding"."paper_id"' in sql:
            lookups.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(kept):
        assert hybrid.feedback_query(embeddings.embed_query("cells"), [later.pk]) is not None
        assert selectors.paper_vector(later) is not None
        add_paper("2509.00009", "Walrus tusks", "How walrus tusks grow.")
        services.index_if_needed()
    assert len(lookups) >= 3
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        for sql, params in lookups:
            cursor.execute(explain + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "embedding_model_idx" not in plan, (sql, plan)
