import datetime as dt

from django.http import QueryDict

from dailypapers.search import hybrid as fusion
from dailypapers.search.highlight import mark, snippet
from dailypapers.search.query import MAX_QUERY_CHARS, SearchQuery, from_params


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


def test_reciprocal_rank_fusion():
    fused = fusion.reciprocal_rank([[(1, 9.0), (2, 8.0)], [(2, 0.9), (3, 0.8)]], k=60)
    assert [doc for doc, _ in fused] == [2, 1, 3]
    assert fused[0][1] == 1 / 62 + 1 / 61


def test_weighted_fusion_normalises_each_list():
    fused = fusion.weighted([(1, 20.0), (2, 10.0)], [(2, 0.9), (3, 0.5)], vector_weight=0.5)
    assert dict(fused) == {1: 0.5, 2: 0.5, 3: 0.0}
    assert [doc for doc, _ in fusion.weighted([(1, 5.0)], [], vector_weight=0.5)] == [1]


def test_highlight_marks_stems_and_escapes():
    assert (
        str(mark("<b>Estimating</b> MI", ["estimation"]))
        == "&lt;b&gt;<mark>Estimating</mark>&lt;/b&gt; MI"
    )
    text = "filler " * 100 + "mutual information here " + "filler " * 100
    cut = str(snippet(text, ["mutual", "information"], width=120))
    assert (
        "<mark>mutual</mark> <mark>information</mark>" in cut
        and cut.startswith("… ")
        and cut.endswith(" …")
    )
    assert str(snippet("short <script>", ["script"])) == "short &lt;<mark>script</mark>&gt;"


def test_stemming_is_safe_across_threads():
    # gunicorn's threads stem at the same time; a shared Snowball object
    # corrupted words and raised IndexError (found by benchmarks/api.py).
    import threading

    from dailypapers.search.stemming import stem

    words = [
        "estimation",
        "information",
        "generalizability",
        "reasoning",
        "networks",
        "studies",
    ] * 300
    expected = [stem(w) for w in words]
    results, errors = [], []

    def work():
        try:
            results.append([stem(w) for w in words])
        except Exception as exc:  # noqa: BLE001 - any failure is the bug
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and all(r == expected for r in results)
