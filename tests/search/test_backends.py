"""The lexical backend contract, run against the database the suite runs on
(SQLite FTS5 on the default run, PostgreSQL tsvector on the PostgreSQL run)."""

import datetime as dt
import math

import pytest

from dailypapers.papers.models import Paper
from dailypapers.search.backends import lexical_backend
from dailypapers.search.query import Filters, SearchQuery
from tests.hostile import HOSTILE_QUERIES

pytestmark = pytest.mark.django_db


def find(text: str, filters: Filters | None = None, limit: int = 10) -> list[int]:
    terms = SearchQuery(text=text).terms
    found = lexical_backend().search(terms=terms, filters=filters or Filters(), limit=limit)
    return [pk for pk, _ in found]


def test_finds_by_title_abstract_and_author(corpus):
    assert find("microscopy")[0] == corpus["vision"]
    assert find("fluorescence") == [corpus["vision"]]
    assert find("Sutton") == [corpus["rl"]]


def test_stemming(corpus):
    assert corpus["mi"] in find("estimation")  # "Estimating" in its title
    assert corpus["rl"] in find("estimating")


def test_ranking_prefers_more_and_title_matches(corpus):
    results = find("mutual information estimation")
    assert results[0] == corpus["mi"]
    assert set(results) >= {corpus["mi"], corpus["rate"], corpus["rl"]}


def test_scores_are_higher_is_better(corpus):
    scored = lexical_backend().search(terms=["information"], filters=Filters(), limit=10)
    assert [s for _, s in scored] == sorted((s for _, s in scored), reverse=True)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(date_from=dt.date(2025, 2, 1)), {"rate", "rl"}),
        (Filters(date_to=dt.date(2025, 2, 10)), {"mi", "rate"}),
        (Filters(categories=("cs.IT",)), {"mi", "rate"}),
        (Filters(categories=("cs",)), {"mi", "rate", "rl"}),
        (Filters(categories=("cs.RO", "cs.IT")), {"mi", "rate", "rl"}),
        (Filters(has_code=True), {"mi", "rl"}),
        (Filters(has_code=True, categories=("cs.LG",), date_from=dt.date(2025, 3, 1)), {"rl"}),
    ],
)
def test_filters(corpus, filters, expected):
    found = set(find("information estimation robots", filters))
    assert found == {corpus[name] for name in expected}


def test_index_follows_updates_and_deletes(corpus):
    Paper.objects.filter(pk=corpus["vision"]).update(title="Counting penguins from drones")
    assert find("penguins") == [corpus["vision"]]
    assert find("images") == []  # only in the old title
    Paper.objects.filter(pk=corpus["vision"]).delete()
    assert find("penguins") == []


def test_rebuild_keeps_results(corpus):
    before = find("information")
    lexical_backend().rebuild()
    assert find("information") == before


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_hostile_queries_never_raise(corpus, text):
    results = find(text[:500])
    assert isinstance(results, list)
    assert Paper.objects.count() == 4  # and nothing was harmed


def test_bulk_inserts_and_single_saves_are_both_indexed(corpus):
    # corpus came in through the bulk path; a plain ORM save goes through the trigger.
    Paper.objects.create(arxiv_id="2506.00006", title="Quantum penguin dynamics", title_key="x")
    assert len(find("penguin")) == 1 and find("Hopper") == [corpus["vision"]]


def test_a_failed_bulk_insert_leaves_the_index_working(corpus):
    from django.db import IntegrityError, transaction

    from dailypapers.papers.bulk import insert_papers

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_papers([Paper(arxiv_id="2501.00001", title="Duplicate", title_key="d")])
    Paper.objects.create(arxiv_id="2506.00007", title="Walrus migration", title_key="w")
    assert len(find("walrus")) == 1


@pytest.fixture
def common_words(db):
    """One paper with both words; more with only one of them each, and more of it:
    by either word alone, the paper with both would not come first."""
    from tests.factories import add_paper

    both = add_paper("2601.00001", "Graph learning for molecules", "Message passing.")
    only_learning = [
        add_paper(f"2601.0010{i}", f"Learning to learn {i}", "Learning agents.") for i in range(5)
    ]
    only_graph = [
        add_paper(f"2601.0020{i}", f"Graph colouring of graphs {i}", "Graph edges, graph vertices.")
        for i in range(3)
    ]
    return both, only_learning, only_graph


@pytest.mark.parametrize("budget", [3, 5])
def test_past_the_postings_budget_papers_with_every_word_come_first(common_words, settings, budget):
    # "learning" is in 6 papers, "graph" in 4: together past either budget.
    both, only_learning, only_graph = common_words
    settings.SEARCH_POSTINGS_BUDGET = budget
    found = find("graph learning")
    assert found[0] == both
    # Then the rarer word's papers; the commonest word alone no longer ranks.
    assert set(found[1:]) <= set(only_graph) and not set(found) & set(only_learning)
    # A word in no paper at all (a typo) does not empty the intersection.
    assert find("graph learning qwxyzzy")[0] == both


def test_a_hybrid_keyword_side_leaves_out_the_lists_ordered_by_date(common_words, settings):
    # What a hybrid search asks for. Budget 5: "graph" (4 papers) is rare
    # enough to rank the papers with both words; budget 3: it is not, and
    # what a keyword search would list (the newest papers with both words,
    # unscored) is left out.
    from django.db import connection

    both, _, only_graph = common_words
    terms = SearchQuery(text="graph learning").terms

    def hybrid(budget):
        # PostgreSQL's hybrid keyword side ranks a fifth of the setting.
        settings.SEARCH_POSTINGS_BUDGET = budget * (1 if connection.vendor == "sqlite" else 5)
        hits = lexical_backend().search(terms=terms, filters=Filters(), limit=10, hybrid=True)
        return [pk for pk, _ in hits]

    assert hybrid(5) == [both]
    assert hybrid(3) == []
    assert find("graph learning")[0] == both  # a keyword search still lists it
    settings.SEARCH_POSTINGS_BUDGET = 0  # within the budget nothing is left out
    assert set(hybrid(0)) == set(find("graph learning")) >= {both, *only_graph}


def test_past_the_budget_a_word_too_common_to_intersect_is_left_out(common_words, settings):
    # "model" is in 40 other papers, not in the one with "graph" and
    # "learning": intersecting every word would leave that paper out, and
    # ranking the rarest word alone would put the graph-only papers first.
    from django.db import connection

    from tests.factories import add_paper

    both, _, only_graph = common_words
    for i in range(40):
        add_paper(f"2601.{300 + i:05d}", f"Model number {i}", "A model.")
    # The budget each engine applies: 8 (PostgreSQL ranks a third of the setting).
    settings.SEARCH_POSTINGS_BUDGET = 8 if connection.vendor == "sqlite" else 24
    found = find("graph learning model")
    assert found[0] == both


def test_past_the_budget_a_common_word_counts_whatever_its_stem(common_words, settings):
    # "methodology": Snowball's Porter stem ("methodologi") is not the one
    # FTS5's tokenizer indexes ("methodolog"). Counted under the wrong one, it
    # was in no paper, so past the budget it ranked below the papers with
    # every word as if it cost nothing, and its 40 papers followed them.
    from django.db import connection

    from tests.factories import add_paper

    both, _, only_graph = common_words
    methodology = {
        add_paper(f"2601.{300 + i:05d}", f"Methodology number {i}", "A methodology.")
        for i in range(40)
    }
    settings.SEARCH_POSTINGS_BUDGET = 8 if connection.vendor == "sqlite" else 24
    found = find("graph learning methodology")
    assert found[0] == both
    assert set(found[1:]) <= set(only_graph) and not set(found) & methodology


def test_within_the_budget_any_word_ranks(common_words, settings):
    both, only_learning, only_graph = common_words
    settings.SEARCH_POSTINGS_BUDGET = 0  # no budget
    found = find("graph learning")
    assert set(found) == {both, *only_learning, *only_graph}


def test_a_repeated_word_saturates_at_the_same_k1_on_both_backends(db):
    """BM25's k1 is 0.9 on both backends (search/backends/base.py). A paper
    saying a rare query word three times, against one saying it once and a
    second, commoner query word once, every paper the same length (in
    tokens, as FTS5 counts, and in distinct words, as PostgreSQL does): the
    first scores 1.46 times the rare word's IDF at k1 0.9 and 1.57 times at
    FTS5's own 1.2, the second the sum of both IDFs (1.55 times on SQLite,
    1.61 on PostgreSQL, by their IDFs over these 40 papers). So the second
    comes first at 0.9 only."""
    from django.db import connection

    from tests.factories import add_paper

    def paper(n: int, abstract: str) -> int:
        return add_paper(f"2602.{n:05d}", "Notes", abstract, authors=("Ann Smith",))

    repeated = paper(1, "quark quark quark alpha beta gamma delta epsilon")
    both = paper(2, "quark lepton alpha beta gamma gamma delta delta")
    for n in range(3, 9):  # "lepton" in 7 papers, "quark" in 2
        paper(n, "lepton alpha beta gamma gamma delta delta epsilon")
    for n in range(9, 41):
        paper(n, "alpha beta gamma gamma delta delta epsilon zeta")
    found = dict(lexical_backend().search(terms=["quark", "lepton"], filters=Filters(), limit=10))
    assert list(found)[:2] == [both, repeated]

    # And on BM25's own scale (the keyword index's scores are merged with
    # them): with every paper of average length, a word said once scores its
    # IDF, three times 3 (k1 + 1) / (3 + k1) of it. Each backend's IDF.
    def idf(papers: int) -> float:
        odds = (40 - papers + 0.5) / (papers + 0.5)
        # FTS5's bm25() takes the log of the odds; the PostgreSQL backend,
        # as Lucene, of one plus them.
        return math.log(odds if connection.vendor == "sqlite" else 1 + odds)

    assert found[both] == pytest.approx(idf(2) + idf(7), rel=1e-6)
    assert found[repeated] == pytest.approx(idf(2) * 3 * 1.9 / 3.9, rel=1e-6)
