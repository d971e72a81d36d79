"""Spelling suggestions: a typo is offered the word the papers hold, and
nothing a reader meant is "corrected"."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from dailypapers.papers.models import Paper
from dailypapers.search import jobs, spelling, vocabulary
from dailypapers.search.models import Word
from dailypapers.search.query import SearchQuery
from dailypapers.search.vocabulary import vocabulary_refresh
from tests.factories import add_paper
from tests.hostile import HOSTILE_QUERIES

pytestmark = pytest.mark.django_db


def suggest(text: str) -> str | None:
    return spelling.spelling_suggestion(query=SearchQuery(text=text))


@pytest.fixture
def papers():
    for n in range(4):
        add_paper(
            f"2601.0010{n}",
            f"Attention in transformer models, part {n}",
            "Sparse attention makes the transformer model faster.",
            authors=("Yann LeCun", "Kaiming He"),
        )
    for n in range(3):
        add_paper(f"2601.0020{n}", f"A modal logic, volume {n}", "Modal logic of knowledge.")
    for n in range(120):
        add_paper(f"2601.{n + 1000:05d}", f"Yang model number {n}", "", authors=("Wei Yang",))
    vocabulary_refresh()


def test_a_typo_is_offered_the_word_the_papers_hold_in_the_case_it_was_typed(papers):
    assert suggest("transfomer atention") == "transformer attention"
    assert suggest("Transfomer ATENTION, sparse") == "Transformer ATTENTION, sparse"
    # Both ways a letter goes missing or astray: dropped, added, changed, swapped.
    assert suggest("attentionn") == "attention"
    assert suggest("attantion") == "attention"
    assert suggest("attnetion") == "attention"


def test_a_word_no_paper_holds_is_looked_for_two_edits_away(papers):
    assert suggest("atension") == "attention"
    assert suggest("trasnfomer models") == "transformer models"  # swapped and dropped
    # The first two letters swapped, or a letter put before the first.
    assert suggest("taetntion") == "attention"
    assert suggest("qatention") == "attention"
    # Too short: two edits from a four-letter word lie too many words.
    assert suggest("mdoe") is None
    # A word a paper holds is not: "motels" is two edits from "model" (124
    # papers), one from "models" (4: not a hundredfold).
    add_paper("2601.00300", "Motels of the coast", "Rooms.")
    vocabulary_refresh()
    assert suggest("motels") is None
    # Nor is a word one edit from a word a paper holds: "motelss" is more
    # likely "motels" mistyped than "models" twice.
    assert suggest("motelss") is None


def test_words_the_papers_hold_are_kept(papers):
    assert suggest("sparse attention transformer") is None
    # "modal" is held by 3 papers, "model" by 124: not the hundredfold a
    # typo's neighbour is held by, so a reader asking for modal logic gets it.
    assert suggest("modal logic") is None
    assert Word.objects.get(word="model").papers == 124
    # A name is not a typo of a commoner word: "yann" is one edit from
    # "yang" (120 papers) and held by only 4.
    assert suggest("Yann LeCun") is None
    assert suggest("Yann LeCunn") == "Yann Lecun"


def test_nothing_is_suggested_where_no_word_was_typed_wrong(papers):
    # Far from every word (more than one edit), too short to tell from an
    # acronym, an arXiv id, one author's name, a pasted description.
    assert suggest("blorft snizzle") is None
    assert suggest("atn") is None
    assert suggest("arXiv:2601.00100") is None
    assert suggest('author:"Yann LeCunn" atention') is None
    assert suggest("atention " + " ".join(f"word{n}" for n in range(10))) is None
    for text in HOSTILE_QUERIES:
        spelling.spelling_suggestion(query=SearchQuery(text=text))  # answers, whatever it is


def test_words_are_counted_once_a_paper_and_a_word_of_one_abstract_is_dropped():
    counts, names, _ = vocabulary.count_papers(
        [
            ("Graph graph networks", "Walks on a graph.", ["Ada Lovelace"]),
            ("Graph walks", "Walrus.", ["Ada Byron"]),
        ]
    )
    # "networks" is in one title: a name like it is what finds that paper.
    assert counts == {"graph": 2, "networks": 1, "walks": 2, "ada": 2}
    assert names == {"ada"}


def test_the_worker_counts_again_only_when_papers_changed(papers, settings):
    assert "search-words" in [job.name for job in jobs.jobs()]
    later = timezone.now() + dt.timedelta(hours=2)
    assert jobs.words_round(later) == "words: no paper changed"
    Paper.objects.filter(arxiv_id="2601.00200").update(abstract="Walrus walrus.", modified_at=later)
    add_paper("2601.00300", "Walrus tusks", "Measured.")
    assert jobs.words_round(later).startswith("words: ")
    assert Word.objects.get(word="walrus").papers == 2
    assert Word.objects.get(word="modal").papers == 3
    # ``dailypapers index --lexical`` counts them too.
    Word.objects.all().delete()
    out = StringIO()
    call_command("index", "--no-progress", "--lexical", stdout=out)
    assert "words: " in out.getvalue()
    assert Word.objects.filter(word="walrus").exists()


def test_counting_past_its_memory_bound_keeps_the_words_held_by_many(monkeypatch):
    # Lossy counting: past the bound, words of one abstract so far are
    # dropped; a word many papers hold is counted exactly once it is seen twice.
    monkeypatch.setattr(vocabulary, "PRUNE_AT", 4)
    papers = [("Graph", f"graph networks rare{chr(97 + n)}", []) for n in range(10)]
    counts, _, _ = vocabulary.count_papers(papers)
    assert counts == {"graph": 10, "networks": 10}


def test_the_words_have_statistics_once_counted(papers):
    # Without them PostgreSQL read the whole table for each lookup.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'search_word'")
            assert cursor.fetchone()[0] == Word.objects.count()
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'search_word'")
            assert cursor.fetchone()[0] > 0


def test_a_word_many_papers_hold_is_never_corrected(papers, monkeypatch, django_assert_num_queries):
    # At a million papers "modal" is held by a hundredth of the papers
    # "model" is: the ratio alone would "correct" it. Held by KNOWN_FROM
    # papers, a word is a word, and its neighbours are not even looked up.
    monkeypatch.setattr(spelling, "_FACTOR", 10)  # "model" is 41 times "modal" here
    assert suggest("modal logic") == "model logic"
    monkeypatch.setattr(spelling, "KNOWN_FROM", 3)
    assert suggest("modal logic") is None
    with django_assert_num_queries(1):
        assert suggest("model") is None
