"""Vectors stored before papers were read in two passes keep serving search."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dailypapers.search.models import Embedding
from dailypapers.search.vectors import embeddings


@pytest.mark.django_db(transaction=True)
def test_vectors_of_the_128_token_model_keep_their_place_and_wait_to_be_read_whole():
    from tests.factories import make_paper

    paper = make_paper("2501.00001")
    before, after = ("search", "0004_postgres_search_column"), ("search", "0005_embedding_window")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps.get_model("search", "Embedding")
    old.objects.create(
        paper_id=paper.pk,
        model="all-MiniLM-L6-v2-int8-dynamic-onnx-128",
        text_hash="0" * 16,
        vector=b"\0\0" * embeddings.DIM,
    )
    executor = MigrationExecutor(connection)
    executor.migrate([after])
    row = Embedding.objects.get(paper_id=paper.pk)
    assert (row.model, row.window) == (embeddings.MODEL_NAME, embeddings.FIRST_READING)
