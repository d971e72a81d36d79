"""Results a reader can trust: nothing shown for nonsense, counts that are
true, an author's name finds the author, a notice that says what is so."""

import pytest

from dailypapers.core import page_version
from dailypapers.search import selectors, services
from dailypapers.search.backends.budget import MAX_QUERY_WORDS, informative
from dailypapers.search.query import SearchQuery
from tests.factories import add_paper

pytestmark = pytest.mark.django_db

NONSENSE = ["xqzvbn", "blorft snizzle", "qwertyuiop", "zorbly wazzle", "kjdfhg skdjfh"]


def ids(text: str, **kwargs) -> list[int]:
    results = selectors.paper_search(query=SearchQuery(text=text, **kwargs))
    return [hit.paper.pk for hit in results.hits]


def test_nonsense_finds_nothing_but_meaning_still_finds(corpus, client, settings):
    services.index_if_needed()
    for text in NONSENSE:
        assert ids(text) == [] and ids(text, mode="vector") == [], text
    # The floor is what hides them: every text has neighbours by meaning.
    settings.SEARCH_VECTOR_FLOOR = 0
    assert all(ids(text) for text in NONSENSE)
    settings.SEARCH_VECTOR_FLOOR = 0.3
    # No shared word with the vision paper, only its meaning.
    assert ids("detecting cells under a microscope")[0] == corpus["vision"]
    page = client.get("/papers/search", {"q": "blorft snizzle"}).content.decode()
    assert "No papers match" in page and "Check the spelling" in page and "/trending" in page


def test_a_count_is_the_number_of_matches_or_says_there_are_more(db, client, settings):
    for n in range(12):
        add_paper(f"2501.{n:05d}", f"Walrus study {n}", "Tusks of the walrus, measured.")
    add_paper("2502.00001", "Seals", "Seals and their whiskers.")
    page = client.get("/papers/search", {"q": "walrus", "mode": "lexical"}).content.decode()
    assert "12 results for" in page
    settings.SEARCH_CANDIDATES = 10
    page_version.changed()  # as the restart after a change of settings does
    results = selectors.paper_search(query=SearchQuery(text="walrus", mode="lexical"))
    assert results.total == 10 and not results.complete
    page = client.get("/papers/search", {"q": "walrus", "mode": "lexical"}).content.decode()
    assert "The best 10 of more results" in page and "10 results" not in page


@pytest.fixture
def lecun(db):
    return {
        "cnn": add_paper(
            "2401.00001",
            "Gradient-based learning applied to document recognition",
            "Convolutional networks read handwritten digits.",
            authors=("Yann LeCun", "Léon Bottou"),
            published="2024-01-10",
        ),
        "jepa": add_paper(
            "2402.00002",
            "Self-supervised learning from images with a joint-embedding predictive architecture",
            "A predictive architecture learns image representations.",
            authors=("Mahmoud Assran", "Yann LeCun"),
            published="2024-02-10",
        ),
        # Names him in its words, and its authors hold both of his names,
        # but in two people: neither is him.
        "about": add_paper(
            "2403.00003",
            "Yann LeCun and convolutional networks: a history",
            "How Yann LeCun's convolutional networks came to read cheques.",
            authors=("Yann Smith", "Bob LeCun"),
            published="2024-03-10",
        ),
        "kernel": add_paper(
            "2404.00004",
            "Kernel methods",
            "Support vector machines and kernels.",
            authors=("Bernhard Schölkopf",),
            published="2024-04-10",
        ),
    }


def test_an_authors_name_finds_their_papers_first(lecun, client):
    results = selectors.paper_search(query=SearchQuery(text="Yann LeCun"))
    found = [hit.paper.pk for hit in results.hits]
    assert found[:2] == [lecun["jepa"], lecun["cnn"]]  # his papers, newest first
    assert [hit.by_author for hit in results.hits[:3]] == [True, True, False]
    assert ids("yann lecun")[:2] == found[:2]
    page = client.get("/papers/search", {"q": "Yann LeCun"}).content.decode()
    assert "By this author" in page


def test_the_author_filter_keeps_only_that_authors_papers(lecun):
    # Bob LeCun is a LeCun too.
    assert ids("author:lecun") == [lecun["about"], lecun["jepa"], lecun["cnn"]]
    assert ids('author:"Yann LeCun"') == [lecun["jepa"], lecun["cnn"]]
    assert ids("author:“yann lecun” convolutional") == [lecun["cnn"]]
    assert ids("author:schölkopf") == [lecun["kernel"]]
    assert ids("author:nobody") == []
    assert ids("author:lecun kernels") == []


def test_the_semantic_search_notice_says_what_is_so(corpus, client):
    page = client.get("/papers/search", {"q": "mutual information"}).content.decode()
    assert "Keyword search only for now" in page and "(0 of 4 papers embedded)" in page
    services.index_if_needed()
    for query in ("mutual information", "2501.00001", "arXiv:2501.00001"):
        page = client.get("/papers/search", {"q": query}).content.decode()
        assert "Keyword search only" not in page and "Semantic search covers" not in page, query
    add_paper("2509.00009", "A paper not embedded yet", "Mutual information again.")
    page = client.get("/papers/search", {"q": "mutual information"}).content.decode()
    assert "Semantic search covers 4 of 5 papers" in page


def test_a_long_query_is_ranked_by_its_most_informative_words():
    terms = [f"common{n}" for n in range(40)] + ["walrus", "tusk", "unheard"]
    counts = {t: 900 for t in terms} | {"walrus": 3, "tusk": 5, "unheard": 0}
    kept, stems = informative([*terms, "walrus"], [*terms, "walrus"], counts, papers=lambda: 1000)
    assert len(set(kept)) == MAX_QUERY_WORDS and kept == stems
    assert kept.count("walrus") == 2 and "tusk" in kept and "unheard" not in kept


def test_a_pasted_abstract_finds_its_paper_by_its_rare_words(corpus):
    add_paper("2505.00005", "How walruses grow their tusks", "Walrus tusks grow all their lives.")
    paper = add_paper("2505.00006", "Arctic fauna", "Walrus colonies and their tusks.")
    # Forty words first, as an abstract's opening has, that no paper here
    # holds; only past them the words that name the paper.
    filler = " ".join(
        "approach novel results show significant improvement across several benchmark tasks "
        "while requiring fewer parameters extensive experiments demonstrate effectiveness "
        "framework outperforms existing baselines consistently furthermore analysis reveals "
        "interesting properties generalization robustness efficiency scalability simple "
        "practical competitive promising directions future research community code".split()
    )
    assert len(set(filler.split())) >= 40
    found = ids(f"{filler} walrus colonies tusks", mode="lexical")
    assert found[0] == paper
