"""The keyword index (tantivy) that ranks queries past the postings budget
exactly, beside the database's own index, on the database the suite runs on."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from dailypapers.papers.models import Paper
from dailypapers.search import jobs, selectors
from dailypapers.search.backends import keyword_index, lexical_backend
from dailypapers.search.query import Filters, SearchQuery
from tests.factories import add_paper

pytestmark = pytest.mark.django_db


def find(text: str, filters: Filters | None = None, *, hybrid: bool = False) -> list[int]:
    terms = SearchQuery(text=text).terms
    found = lexical_backend().search(
        terms=terms, filters=filters or Filters(), limit=20, hybrid=hybrid
    )
    return [pk for pk, _ in found]


@pytest.fixture
def papers(db):
    """One paper with both words of "graph learning", more with one of them,
    and with a code link one of those; added an hour ago, so that a round
    reads them again only when they change (it reads again what changed in
    the minutes before its last one)."""
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1)):
        return _papers()


def _papers():
    both = add_paper("2601.00001", "Graph learning for molecules", "Message passing.")
    learning = [
        add_paper(f"2601.0010{i}", f"Learning to learn {i}", "Learning agents.") for i in range(5)
    ]
    graph = [
        add_paper(
            f"2601.0020{i}",
            f"Graph colouring of graphs {i}",
            "Graph edges, graph vertices.",
            code_url="https://github.com/example/colouring" if i == 0 else "",
        )
        for i in range(3)
    ]
    return both, learning, graph


@pytest.fixture
def past_the_budget(settings):
    """A budget "graph learning" (9 postings) is past on either backend
    (PostgreSQL ranks a third of the setting, a fifth for hybrid's keyword side)."""
    settings.SEARCH_POSTINGS_BUDGET = 4 if connection.vendor == "sqlite" else 20


def everything(text: str, settings) -> set[int]:
    budget, settings.SEARCH_POSTINGS_BUDGET = settings.SEARCH_POSTINGS_BUDGET, 0
    try:
        return set(find(text))
    finally:
        settings.SEARCH_POSTINGS_BUDGET = budget


def test_past_the_budget_the_index_ranks_every_match_as_without_a_budget(
    papers, past_the_budget, settings
):
    both, learning, graph = papers
    unbounded = everything("graph learning", settings)
    assert unbounded == {both, *learning, *graph}
    # Without the index the budget leaves the commonest word's papers out...
    assert not set(find("graph learning")) & set(learning)
    keyword_index.refresh()
    # ...with it every match is ranked, the paper with both words first, for
    # a keyword search and for hybrid's keyword side alike.
    for hybrid in (False, True):
        found = find("graph learning", hybrid=hybrid)
        assert found[0] == both and set(found) == unbounded


def test_a_paper_added_after_the_last_round_is_found_at_once(papers, past_the_budget, settings):
    keyword_index.refresh()
    new = add_paper("2601.00301", "Graph learning of proteins", "Graph learning, learning graphs.")
    assert keyword_index.covered_up_to() < new
    found = find("graph learning")
    assert new in found and set(found) == everything("graph learning", settings)
    assert keyword_index.refresh() == (1, 10)
    assert keyword_index.covered_up_to() == new and new in find("graph learning")


def test_a_changed_paper_is_indexed_again_and_a_deleted_one_is_never_returned(
    papers, past_the_budget
):
    both, learning, graph = papers
    keyword_index.refresh()
    Paper.objects.filter(pk=both).update(title="Protein folding", modified_at=timezone.now())
    Paper.objects.filter(pk=graph[1]).delete()
    # Deleted: gone before the worker's next round.
    assert graph[1] not in find("graph learning")
    assert keyword_index.refresh()[0] == 1
    assert both not in find("graph learning")
    assert find("protein folding")[:1] == [both]
    # The deleted paper leaves the index (BM25 would count it) next round.
    assert keyword_index.refresh()[1] == 8


def test_filters_apply_to_what_the_index_finds(papers, past_the_budget):
    both, learning, graph = papers
    keyword_index.refresh()
    assert find("graph learning", Filters(has_code=True)) == [graph[0]]


def test_a_damaged_index_is_searched_around_and_rebuilt(papers, past_the_budget, settings):
    both, learning, graph = papers
    keyword_index.refresh()
    (settings.SEARCH_INDEX_DIR / "keywords" / "meta.json").write_text("{not json")
    # The budgeted ranking, as before the index existed, and no error.
    assert keyword_index.search(["graph"], Filters(), 10) is None
    assert find("graph learning")[0] == both
    assert keyword_index.refresh() == (9, 9)
    assert set(find("graph learning")) == {both, *learning, *graph}


def test_the_worker_and_the_index_command_keep_it_current(papers, settings):
    assert "keyword-index" in [job.name for job in jobs.jobs()]
    assert jobs.keyword_round(None) == "keyword index: 9 papers indexed, 9 in all"
    add_paper("2601.00401", "Walrus tusks", "Measured.")
    out = call_command_output("index", "--no-progress")
    assert "keyword index: 1 papers indexed, 10 in all" in out
    assert "keyword index: 10 papers indexed" in call_command_output(
        "index", "--no-progress", "--lexical"
    )
    settings.SEARCH_KEYWORD_INDEX = False
    assert "keyword-index" not in [job.name for job in jobs.jobs()]
    assert keyword_index.covered_up_to() is None


def test_a_search_page_past_the_budget_lists_every_match(papers, past_the_budget, settings):
    keyword_index.refresh()
    results = selectors.paper_search(query=SearchQuery(text="graph learning", mode="lexical"))
    assert {hit.paper.pk for hit in results.hits} == everything("graph learning", settings)


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_second_writer_waits_for_the_first(papers, settings):
    import tantivy

    from dailypapers.search import services

    keyword_index.refresh()
    writer = tantivy.Index.open(str(settings.SEARCH_INDEX_DIR / "keywords")).writer()
    try:
        assert services.keyword_index_refresh() == (
            "keyword index: another process is bringing it up to date"
        )
    finally:
        writer.rollback()
        del writer
    assert services.keyword_index_refresh() == "keyword index: 0 papers indexed, 9 in all"
