"""Search through the facade with the real model: by meaning, exact matches first,
sorts, filters, related papers."""

import datetime as dt

import pytest

from dailypapers.papers.models import Paper
from dailypapers.search import hybrid, selectors, services
from dailypapers.search.query import Filters, SearchQuery
from dailypapers.search.vectors import embeddings
from tests.factories import add_paper

pytestmark = pytest.mark.django_db


def search(text: str, **kwargs) -> list[int]:
    return [
        hit.paper.pk for hit in selectors.paper_search(query=SearchQuery(text=text, **kwargs)).hits
    ]


def test_without_vectors_search_is_lexical_and_says_so(corpus):
    results = selectors.paper_search(query=SearchQuery(text="mutual information"))
    assert results.mode == "lexical" and not results.vectors_ready
    assert results.hits[0].paper.pk == corpus["mi"]


def test_hybrid_search_finds_by_meaning(corpus):
    services.index_if_needed()
    # No shared words with the vision paper, but the same meaning.
    results = selectors.paper_search(query=SearchQuery(text="detecting cells under a microscope"))
    assert results.mode == "hybrid" and results.vectors_ready
    assert results.hits[0].paper.pk == corpus["vision"]
    assert search("robotic grasping with rewards", mode="vector")[0] == corpus["rl"]


def test_hybrid_search_fuses_no_keyword_list_ordered_by_date(corpus, settings):
    from django.db import connection

    about = add_paper(
        "2505.00005", "How walruses grow their tusks", "Walrus tusks grow all their lives."
    )
    aside = add_paper(
        "2506.00006",
        "Forecasting quarterly budgets with spreadsheets",
        "Spreadsheet models of revenue; a walrus with tusks is the logo.",
        published="2025-06-10",
    )
    services.index_if_needed()
    # Both words are in two papers: past a budget of one (PostgreSQL ranks a
    # third of the setting, a fifth for a hybrid search) too common to rank,
    # so a keyword search lists the papers holding both by date, newest first.
    settings.SEARCH_POSTINGS_BUDGET = 1 if connection.vendor == "sqlite" else 5
    assert search("walrus tusks", mode="lexical") == [aside, about]
    # Fused, that order would read as relevance and put the budget paper
    # first; a hybrid search leaves it out and ranks by meaning.
    assert search("walrus tusks", mode="vector")[0] == about
    # (Vector mode ranks every paper; hybrid shows those close enough in meaning.)
    hybrid = search("walrus tusks")
    assert hybrid == search("walrus tusks", mode="vector")[: len(hybrid)]


def test_a_category_alone_lists_its_newest_papers(corpus):
    # "cs.IT" once asked for the words "cs" and "it" (a stopword).
    results = selectors.paper_search(query=SearchQuery(text="cs.IT"))
    assert results.mode == "newest" and results.complete
    assert [hit.paper.pk for hit in results.hits] == [corpus["rate"], corpus["mi"]]
    assert search("cs.it rate distortion") == [corpus["rate"]]
    assert search("", filters=Filters(categories=("cs.LG",), has_code=True)) == [
        corpus["rl"],
        corpus["mi"],
    ]
    assert search("cs.LG", filters=Filters(date_to=dt.date(2024, 1, 1))) == []
    assert hybrid.ranked_ids(SearchQuery(text="🙂 *")).ids == []


def test_exact_id_url_and_title_come_first(corpus):
    services.index_if_needed()
    assert search("2503.00003") == [corpus["vision"]]
    assert search("https://arxiv.org/abs/2503.00003v2") == [corpus["vision"]]
    assert search("arXiv:2503.00003") == [corpus["vision"]]
    results = selectors.paper_search(
        query=SearchQuery(text="Rate-distortion theory for language models")
    )
    assert results.hits[0].paper.pk == corpus["rate"] and results.hits[0].exact
    assert search("2599.99999") == []


def test_sort_by_date_and_upvotes(corpus):
    by_date = search("information estimation robots cells", sort="date")
    dates = list(Paper.objects.in_bulk(by_date).values())
    assert by_date == [p.pk for p in sorted(dates, key=lambda p: p.published_at, reverse=True)]
    assert (
        search("information estimation robots cells microscopy", sort="upvotes")[0]
        == corpus["vision"]
    )


def test_filters_apply_to_vector_results_too(corpus, settings):
    settings.SEARCH_VECTOR_FLOOR = 0  # every neighbour, to see the filter alone
    services.index_if_needed()
    found = search("deep learning", mode="vector", filters=Filters(has_code=True))
    assert set(found) == {corpus["mi"], corpus["rl"]}


def test_related_papers_by_vector_then_by_words(corpus):
    related = selectors.related_papers(paper=Paper.objects.get(pk=corpus["mi"]))
    assert related and corpus["mi"] not in [
        p.pk for p in related
    ]  # lexical fallback, no vectors yet
    services.index_if_needed()
    related = selectors.related_papers(paper=Paper.objects.get(pk=corpus["mi"]), limit=2)
    assert [p.pk for p in related][0] == corpus["rate"]


def test_related_papers_ask_with_the_stored_vector_and_the_papers_words(corpus, monkeypatch):
    services.index_if_needed()

    def no_embedding(text):
        raise AssertionError("a paper page embedded text")

    monkeypatch.setattr(embeddings, "embed_query", no_embedding)
    paper = Paper.objects.get(pk=corpus["mi"])
    found = selectors.related_ids(paper=paper, limit=3)
    assert found and paper.pk not in found
    assert found == [p.pk for p in selectors.related_papers(paper=paper, limit=3)]
