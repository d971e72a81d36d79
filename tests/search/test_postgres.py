"""What only the PostgreSQL backend does: how its search column is kept, and
word counts read from ANALYZE's statistics in a large collection."""

import pytest
from django.db import connection

from dailypapers.search.backends import lexical_backend
from dailypapers.search.backends import postgres as backend
from dailypapers.search.query import Filters, SearchQuery
from tests.factories import add_paper

# Run by the suite's PostgreSQL pass (scripts/test, which CI runs); the
# SQLite pass leaves them out (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def test_search_column_is_kept_in_the_row_with_detailed_statistics():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage, attstattarget FROM pg_attribute "
            "WHERE attrelid = 'papers_paper'::regclass AND attname = 'search_tsv'"
        )
        assert cursor.fetchone() == ("m", 1000)


@pytest.fixture
def collection(db):
    for i in range(30):
        add_paper(f"2601.{i:05d}", f"Graph learning {i}", "Message passing on graphs.")
    for i in range(12):
        add_paper(f"2601.{100 + i:05d}", f"Learning to learn {i}", "Meta-learning agents.")
    add_paper("2601.00200", "Walrus migration", "Tusks.")
    lexical_backend().refresh_statistics()  # ANALYZE


def test_a_large_collection_reads_common_words_counts_from_analyze(collection, monkeypatch):
    lexemes = ["graph", "learn", "walrus", "absent"]
    exact = backend._counted(lexemes)  # through GIN
    assert exact == {"graph": 30, "learn": 42, "walrus": 1, "absent": 0}
    before = [
        pk
        for pk, _ in lexical_backend().search(
            terms=["graph", "learning"], filters=Filters(), limit=50
        )
    ]
    monkeypatch.setattr(backend, "_ESTIMATED_ABOVE", 0)  # as if past 100,000 papers
    backend.forget_statistics()
    common = backend._common_lexemes()
    # ANALYZE sampled every row of a table this small: its shares are exact.
    assert common["learn"] == pytest.approx(42 / 43) and common["graph"] == pytest.approx(30 / 43)
    assert "absent" not in common
    assert backend._document_counts(lexemes) == exact
    after = lexical_backend().search(
        terms=SearchQuery(text="graph learning").terms, filters=Filters(), limit=50
    )
    assert [pk for pk, _ in after] == before


def test_without_statistics_every_count_is_exact(collection, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pg_statistic WHERE starelid = 'papers_paper'::regclass")
    monkeypatch.setattr(backend, "_ESTIMATED_ABOVE", 0)
    backend.forget_statistics()
    assert backend._common_lexemes() == {}
    assert backend._document_counts(["graph", "learn"]) == {"graph": 30, "learn": 42}


def test_the_newest_matches_are_the_same_walked_or_fetched(collection, monkeypatch):
    # Which plan runs depends on the word's count (_walk_is_shorter); both
    # must give the newest papers holding the word, ranked among themselves.
    from dailypapers.papers.models import Paper

    newest = set(
        Paper.objects.filter(title__contains="earn")
        .order_by("-pk")
        .values_list("pk", flat=True)[:5]
    )
    found = {}
    for walk in (True, False):
        monkeypatch.setattr(backend, "_walk_is_shorter", lambda lexemes, limit, walk=walk: walk)
        found[walk] = lexical_backend().newest(["learning"], Filters(), 5)
    assert found[True] == found[False]
    assert {pk for pk, _ in found[True]} == newest
