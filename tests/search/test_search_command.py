"""``dailypapers search``: the search page's answers in a terminal."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dailypapers.search.vocabulary import vocabulary_refresh
from tests.factories import add_paper

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("search", *args, stdout=out)
    return out.getvalue()


def test_results_one_a_line_best_first(corpus):
    lines = run("mutual", "information").splitlines()
    assert lines[0] == "2 of 2 results (lexical):"
    assert lines[1].split()[:2] == ["1.", "2501.00001"]
    assert lines[1].endswith("Estimating mutual information with neural networks")
    assert "2025-01-10" in lines[1]


def test_filters_sort_and_json_as_the_page_has_them(corpus):
    found = json.loads(run("information", "--category", "cs.IT", "--sort", "date", "--json"))
    assert [r["id"] for r in found["results"]] == ["2502.00002", "2501.00001"]
    assert found["complete"] and found["suggestion"] is None
    first = found["results"][0]
    assert first["url"].endswith("/papers/2502.00002") and first["authors"] == ["Thomas Cover"]
    assert json.loads(run("information", "--code", "--json"))["total"] == 1
    assert "2503.00003" in run("cs.CV")  # a category alone: its newest papers


def test_a_typo_is_answered_with_the_suggestion(corpus):
    add_paper("2505.00005", "Information bottlenecks", "Little information passes.")
    vocabulary_refresh()
    assert run("informaton", "theory").splitlines()[0] == "Did you mean: information theory"


def test_nothing_to_search_for_is_a_misuse(corpus):
    with pytest.raises(CommandError, match="nothing to search for"):
        run("🙂")
    with pytest.raises(CommandError, match="at least 1"):
        run("graphs", "--limit", "0")
    with pytest.raises(CommandError, match="not a date"):
        run("graphs", "--from", "yesterday")
    assert run("blorft", "snizzle") == "No papers match.\n"
