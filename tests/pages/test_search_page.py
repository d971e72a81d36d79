"""The search page: results, filters, htmx partials, shareable URLs, hostile input."""

import pytest
from bs4 import BeautifulSoup

from dailypapers.search import services
from dailypapers.search.vocabulary import vocabulary_refresh
from tests.factories import add_paper
from tests.hostile import HOSTILE_QUERIES

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def refs(response) -> list[str]:
    return [
        card["data-paper"]
        for card in BeautifulSoup(response.content, "html.parser").select("article.card")
    ]


def test_results_with_highlighted_snippets(client, corpus):
    response = client.get("/papers/search", {"q": "mutual information"})
    assert response.status_code == 200
    assert refs(response)[0] == "2501.00001"
    body = response.content.decode()
    assert "<mark>mutual</mark> <mark>information</mark>" in body
    assert "Keyword search only for now" in body  # no vectors yet, and it says so


def test_semantic_notice_disappears_when_vectors_cover_everything(client, corpus):
    services.index_if_needed()
    body = client.get("/papers/search", {"q": "microscope"}).content.decode()
    assert "Keyword search only" not in body and "Semantic search covers" not in body
    assert refs(client.get("/papers/search", {"q": "microscope"}))[0] == "2503.00003"


def test_htmx_gets_only_the_results(client, corpus):
    response = client.get("/papers/search", {"q": "robots"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'data-paper="2504.00004"' in body


def test_filters_and_sort_from_the_url(client, corpus):
    response = client.get(
        "/papers/search?q=information+estimation+robots&code=1&category=cs.LG&sort=date"
    )
    assert refs(response) == ["2504.00004", "2501.00001"]
    assert 'value="information estimation robots"' in response.content.decode()


def test_facets_count_categories(client, corpus):
    response = client.get("/papers/search", {"q": "information"})
    assert dict(response.context["facets"]) == {"cs.IT": 2}


def test_an_arxiv_id_goes_to_that_paper(client, corpus):
    response = client.get("/papers/search", {"q": "2502.00002"})
    assert refs(response) == ["2502.00002"] and "Exact match" in response.content.decode()


def test_empty_query_shows_help(client, corpus):
    response = client.get("/papers/search")
    assert response.status_code == 200 and refs(response) == []
    assert "arXiv id or URL" in response.content.decode()


def test_a_typo_is_offered_the_words_the_papers_hold(client, corpus):
    add_paper("2505.00005", "Information bottlenecks", "Little information passes.")
    vocabulary_refresh()
    assert not soup(client.get("/papers/search", {"q": "information"})).select(".spelling")
    # The filters stay: the suggestion asks the same question spelt right.
    page = soup(client.get("/papers/search", {"q": "Informaton theory", "code": "1"}))
    link = page.select_one(".spelling a")
    assert link.text == "Information theory"
    assert link["href"] == "?q=Information+theory&code=1"
    # With nothing found, the way out is the suggestion.
    assert page.select_one(".empty .suggestions a")["href"] == link["href"]
    assert refs(client.get("/papers/search" + link["href"])) == ["2501.00001"]


def test_a_word_finds_the_papers_that_write_it_another_way(client, corpus):
    add_paper("2505.00006", "Fine-tuning small models", "Cheap adapters.")
    add_paper("2505.00009", "Adapters", "Fine-tuning them.")
    add_paper("2505.00007", "Stochastic optimization", "Of graphs.")
    add_paper("2505.00008", "Optimization of sets", "By hand.")
    vocabulary_refresh()
    response = client.get("/papers/search", {"q": "finetuning", "mode": "lexical"})
    assert sorted(refs(response)) == ["2505.00006", "2505.00009"]
    # The corpus's one paper in British spelling, and the two in American.
    response = client.get("/papers/search", {"q": "optimisation", "mode": "lexical"})
    assert sorted(refs(response)) == ["2504.00004", "2505.00007", "2505.00008"]
    marked = {mark.text.casefold() for mark in soup(response).select("article.card mark")}
    assert marked == {"optimisation", "optimization"}


def test_a_category_lists_its_newest_papers(client, corpus):
    response = client.get("/papers/search", {"q": "cs.IT"})
    assert refs(response) == ["2502.00002", "2501.00001"]
    assert soup(response).select_one(".count").text == "2 papers in cs.IT, newest first"
    # The filter alone, as the filter form sends it: the same list.
    assert refs(client.get("/papers/search", {"q": "", "category": "cs.IT"})) == refs(response)
    empty = soup(client.get("/papers/search", {"q": "cs.IT", "from": "2030-01-01"}))
    assert empty.select_one(".empty h2").text == "No papers pass these filters."
    assert "spelling" not in empty.select_one(".empty").text  # no words to check


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_hostile_queries_are_answered(client, corpus, text):
    response = client.get("/papers/search", {"q": text, "page": "-1", "from": "1e9"})
    assert response.status_code == 200


def test_paper_page_lists_related_papers(client, corpus):
    services.index_if_needed()
    page = BeautifulSoup(client.get("/papers/2501.00001").content, "html.parser")
    related = [card["data-paper"] for card in page.select(".related article.card")]
    assert related and related[0] == "2502.00002" and "2501.00001" not in related
