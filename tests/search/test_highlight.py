"""Snippets and marked words, and the stemmer they use across threads."""

from dailypapers.search.highlight import mark, snippet


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
