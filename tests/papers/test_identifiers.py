import pytest

from dailypapers.papers.identifiers import ArxivId, local_key_for, parse_arxiv_id, title_key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2510.06217", ArxivId("2510.06217", None)),
        ("2104.12255v1", ArxivId("2104.12255", 1)),
        ("0808.05394", ArxivId("0808.05394", None)),
        ("1501.00001v12", ArxivId("1501.00001", 12)),
        ("arXiv:2510.06217v3", ArxivId("2510.06217", 3)),
        ("https://arxiv.org/abs/2510.06217v2", ArxivId("2510.06217", 2)),
        ("http://export.arxiv.org/abs/2510.06217", ArxivId("2510.06217", None)),
        ("https://arxiv.org/pdf/2510.06217v1.pdf", ArxivId("2510.06217", 1)),
        ("oai:arXiv.org:2104.12255", ArxivId("2104.12255", None)),
        ("astro-ph/0601001", ArxivId("astro-ph/0601001", None)),
        ("quant-ph/0201082v1", ArxivId("quant-ph/0201082", 1)),
        ("math.GT/0309136", ArxivId("math/0309136", None)),
        ("http://arxiv.org/abs/hep-th/9901001v2", ArxivId("hep-th/9901001", 2)),
        ("  2510.06217  ", ArxivId("2510.06217", None)),
    ],
)
def test_parses_every_spelling(raw, expected):
    assert parse_arxiv_id(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "abc",
        "2510.062",
        "25100.06217",
        "astro-ph/06010",
        "2510.06217v",
        "../etc/passwd",
        "2510.06217; DROP TABLE",
        "date/2025-10-08",
    ],
)
def test_rejects_what_is_not_an_id(raw):
    assert parse_arxiv_id(raw) is None


def test_str_keeps_the_version():
    assert str(parse_arxiv_id("2104.12255v1")) == "2104.12255v1"
    assert str(parse_arxiv_id("astro-ph/0601001")) == "astro-ph/0601001"


def test_title_key_ignores_case_spacing_and_punctuation():
    assert title_key("TaTToo: Tool-Grounded  Thinking\n  PRM") == title_key(
        "tattoo tool grounded thinking prm"
    )
    assert local_key_for("A Title") == local_key_for("a   title!")
    assert len(local_key_for("A Title")) == 12
