"""What a reader typed: terms without stopwords, parameters read defensively."""

import datetime as dt

from django.http import QueryDict

from dailypapers.search.query import MAX_QUERY_CHARS, SearchQuery, from_params, to_params


def test_terms_drop_stopwords_and_keep_repeats():
    assert SearchQuery(text="What is the time sharing of time?").terms == [
        "time",
        "sharing",
        "time",
    ]
    assert SearchQuery(text="the of and").terms == ["the", "of", "and"]  # nothing else left
    assert SearchQuery(text="🙂 *").terms == []


def test_params_are_read_defensively():
    query = from_params(
        QueryDict(
            "q=%20mutual%09information%00&from=2025-13-01&to=2025-02-01&category=cs.CL,cs.LG&category=bad;cat"
            "&code=1&sort=evil&mode=vector&page=x"
        )
    )
    assert query.text == "mutual information"
    assert query.filters.date_from is None and query.filters.date_to == dt.date(2025, 2, 1)
    assert query.filters.categories == ("cs.CL", "cs.LG") and query.filters.has_code
    assert query.sort == "relevance" and query.mode == "vector"
    assert len(from_params({"q": "x" * 20_000}).text) == MAX_QUERY_CHARS


def test_a_category_in_the_text_filters_instead_of_asking_for_its_letters():
    query = SearchQuery(text="cs.cl summarization")
    assert query.filters.categories == ("cs.CL",) and query.terms == ["summarization"]
    query = from_params(QueryDict("q=stat.ML+astro-ph.CO+kernels&category=cs.LG"))
    assert query.filters.categories == ("cs.LG", "stat.ML", "astro-ph.CO")
    assert query.terms == ["kernels"]
    # The address gives it back as typed, without the category twice.
    assert to_params(query) == {"q": "stat.ML astro-ph.CO kernels", "category": "cs.LG"}
    # Not archives: "e.g." and a domain keep their words.
    for text in ("e.g. i.e. sparse models", "code at github.io", "cs.CL.x"):
        assert SearchQuery(text=text).filters.categories == (), text
    # A pasted abstract or a paper's own text mentions categories without asking.
    pasted = "We study cs.CL papers. " + "word " * 60
    assert SearchQuery(text=pasted).filters.categories == ()
    assert "cl" in SearchQuery(text=pasted).terms
    assert SearchQuery(text="cs.CL").terms == [] and not SearchQuery(text="cs.CL").is_empty
