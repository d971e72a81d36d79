"""Words written two ways: a typed word finds the papers that write it the
other way ("finetuning" and "fine-tuning")."""

import pytest

from dailypapers.search import spelling, variants, vocabulary
from dailypapers.search.hybrid import ranked_ids
from dailypapers.search.models import Compound
from dailypapers.search.query import MODE_LEXICAL, SearchQuery
from dailypapers.search.selectors import paper_search
from dailypapers.search.vocabulary import vocabulary_refresh
from tests.factories import add_paper
from tests.hostile import HOSTILE_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers():
    ids = {
        "hyphenated": add_paper("2601.00001", "Fine-tuning language models", "We adapt them."),
        "hyphenated too": add_paper(
            "2601.00002", "Parameter-efficient adapters", "Cheap fine-tuning of large models."
        ),
        "joined": add_paper("2601.00003", "Finetuning vision transformers", "Images."),
        "neither": add_paper("2601.00004", "Graph walks", "Random walks on graphs."),
    }
    # "dataset" is written joined by 12 papers, "data-set" by one.
    for n in range(12):
        add_paper(f"2601.{n + 100:05d}", f"A dataset of images, part {n}", "Pictures.")
    ids["data-set"] = add_paper("2601.00200", "A data-set of sounds", "Recordings.")
    ids["data and set"] = add_paper("2601.00201", "Set theory", "Data about sets.")
    vocabulary_refresh()
    return ids


def lexical(text: str) -> set[int]:
    return set(ranked_ids(SearchQuery(text=text, mode=MODE_LEXICAL)).ids)


def test_a_typed_word_finds_the_papers_that_write_it_the_other_way(papers):
    tuned = {papers["hyphenated"], papers["hyphenated too"], papers["joined"]}
    # Joined, it finds the papers writing it hyphenated; hyphenated, the
    # papers writing it joined.
    assert lexical("finetuning") == tuned
    assert lexical("fine-tuning") == tuned
    assert lexical("Fine\u2010tuning") == tuned  # a typographic hyphen
    assert variants.search_terms(SearchQuery(text="finetuning")) == [
        "finetuning",
        "fine",
        "tuning",
    ]
    # The words found are marked where they are written.
    results = paper_search(query=SearchQuery(text="finetuning", mode=MODE_LEXICAL))
    titles = {hit.paper.pk: hit.title for hit in results.hits}
    assert titles[papers["hyphenated"]] == "<mark>Fine</mark>-<mark>tuning</mark> language models"
    assert titles[papers["joined"]] == "<mark>Finetuning</mark> vision transformers"


def test_the_other_form_is_asked_for_only_where_papers_write_it(papers):
    def terms(text: str) -> list[str]:
        return variants.search_terms(SearchQuery(text=text))

    # One paper in 13 writes "data-set": "dataset" asking for every paper
    # holding "data" and "set" would find "Set theory" for one more paper.
    assert terms("dataset") == ["dataset"]
    assert papers["data and set"] not in lexical("dataset")
    # The other way, the joined form is what most papers write.
    assert terms("data-set") == ["data", "set", "dataset"]
    assert len(lexical("data-set")) == 14
    # Words no paper writes the other way, long texts, author names and
    # categories are read as they are.
    assert terms("graph walks") == ["graph", "walks"]
    assert terms("graph-walks") == ["graph", "walks"]
    long = "finetuning " + "graph walks " * 20
    assert variants.search_terms(SearchQuery(text=long)) == SearchQuery(text=long).terms
    assert terms('author:"Jean-Pierre Finetuning" walks') == ["walks"]
    assert terms("astro-ph.CO walks") == ["walks"]
    for text in HOSTILE_QUERIES:
        variants.search_terms(SearchQuery(text=text))  # answers, whatever it is


def hyphenated_counts(texts: list[str]) -> dict[str, tuple[str, int]]:
    return vocabulary.count_papers((text, "", []) for text in texts)[2]


def test_hyphenated_words_are_counted_once_a_paper_by_their_parts():
    counts = hyphenated_counts(
        [
            "GPT-4 beats GPT-4; state-of-the-art in 2-3 steps, a-b-c-d-e, x-ray",
            "GPT\u20114 and x-ray and X-Ray, multi-agent",
            "The multia-gent typo.",
            "Multi-agent again.",
        ]
    )
    # Numbers alone and words of five parts are not words; a compound one
    # paper writes is not kept; of two splits the more written one is.
    assert counts == {
        "gpt4": ("gpt 4", 2),
        "xray": ("x ray", 2),
        "multiagent": ("multi agent", 2),
    }


def test_lossy_counting_drops_the_compounds_of_one_paper_past_its_bound(monkeypatch):
    monkeypatch.setattr(vocabulary, "PRUNE_AT", 3)
    counts = hyphenated_counts(
        [
            "fine-tuning pre-training",
            "fine-tuning x-ray y-ray z-ray",  # past 3: those one paper wrote go
            "fine-tuning x-ray",
        ]
    )
    assert counts == {"finetuning": ("fine tuning", 3)}


def test_a_word_the_papers_write_hyphenated_is_no_typo():
    for n in range(3):
        add_paper(f"2601.0030{n}", f"Multiagency in towns, part {n}", "Agencies.")
    add_paper("2601.00310", "Multi-agent systems", "Agents.")
    add_paper("2601.00311", "Multi-agent games", "Agents.")
    vocabulary_refresh()
    assert Compound.objects.get(word="multiagent").parts == "multi agent"
    # Two edits from "multiagency" (3 papers), which no paper is looking for.
    assert spelling.spelling_suggestion(query=SearchQuery(text="multiagent planning")) is None
    assert spelling.spelling_suggestion(query=SearchQuery(text="multiagenci")) == "multiagency"


def test_a_word_finds_the_papers_that_spell_it_the_other_side_of_the_atlantic():
    american = {add_paper(f"2601.{n + 400:05d}", f"Optimization, part {n}", "") for n in range(30)}
    british = {
        add_paper("2601.00500", "Stochastic optimisation", "Of graphs."),
        add_paper("2601.00501", "Optimisation of sets", "By hand."),
    }
    modelling = add_paper("2601.00502", "Modelling the weather", "Clouds.")
    modeling = {
        add_paper(f"2601.{n + 600:05d}", f"Modeling the sea, part {n}", "") for n in range(3)
    }
    for n in range(10):
        add_paper(f"2601.{n + 700:05d}", f"Colour spaces, part {n}", "")
    for n in range(4):
        add_paper(f"2601.{n + 800:05d}", f"Color spaces, part {n}", "")
    vocabulary_refresh()

    def terms(text: str) -> list[str]:
        return variants.search_terms(SearchQuery(text=text))

    assert terms("stochastic optimisation") == ["stochastic", "optimisation", "optimization"]
    assert lexical("optimisation") == american | british
    # Two papers in 32 spell it the British way: under half as many.
    assert terms("optimization") == ["optimization"]
    # Four papers against ten: BM25 would weigh the rarer "color" more and
    # rank its four papers above the ten writing the word as typed.
    assert terms("colour spaces") == ["colour", "spaces"]
    assert terms("color spaces") == ["color", "spaces", "colour"]
    # SQLite's stemmer keeps "modelling" apart from "modeling", PostgreSQL's
    # folds them: either way the query finds both.
    assert lexical("modelling") == modeling | {modelling}
    assert variants.regional("behavioural") == {"behavioral"}
    assert variants.regional("colour") == {"color"}
    assert variants.regional("four") == set()  # not "for"
