import re

import pytest

from dailypapers.papers.links import CODE, HUGGINGFACE, PROJECT, REFERENCE, clean_url, extract_links
from tests.conftest import load_seed


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("https://github.com/zy1296/CrackNex.", "https://github.com/zy1296/CrackNex"),
        (
            "https://github.com/meta-prompting/meta-prompting).",
            "https://github.com/meta-prompting/meta-prompting",
        ),
        (
            "https://github.com/Nandan91/entropy-guided-attention-llm{entropy-guided-llm}.",
            "https://github.com/Nandan91/entropy-guided-attention-llm",
        ),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("https://site.org/a_(b)),", "https://site.org/a_(b)"),
        ("www.example.com/page;", "https://www.example.com/page"),
        ("https://x.org/p\\url", "https://x.org/p"),
    ],
)
def test_clean_url(raw, clean):
    assert clean_url(raw) == clean


def test_kinds():
    text = (
        "Code: https://github.com/a/b. Weights at https://huggingface.co/org/model, "
        "demo at https://proj.github.io/site/ and the journal version https://doi.org/10.1/x."
    )
    assert [(link.kind, link.url) for link in extract_links(text)] == [
        (CODE, "https://github.com/a/b"),
        (HUGGINGFACE, "https://huggingface.co/org/model"),
        (PROJECT, "https://proj.github.io/site/"),
        (REFERENCE, "https://doi.org/10.1/x"),
    ]


def test_a_doi_that_hosts_the_code_counts_as_code():
    text = "Appendix and code are available as Supplementary Materials at: https://doi.org/10.1016/j.x."
    assert [link.kind for link in extract_links(text)] == [CODE]


def test_github_user_page_without_repo_is_a_project_page():
    assert extract_links("see https://github.com/someone")[0].kind == PROJECT


def test_duplicates_and_non_urls_are_dropped():
    text = "https://github.com/a/b and again https://github.com/a/b. Not a URL: http://localhost"
    assert [link.url for link in extract_links(text)] == ["https://github.com/a/b"]


_RAW_URL = re.compile(r"https?://\S+")


def test_seed_links_are_exactly_the_urls_of_their_abstracts_cleaned():
    seen = 0
    for paper in load_seed():
        raw = _RAW_URL.findall(paper["abstract"])
        found = [link.url for link in extract_links(paper["abstract"])]
        assert found == [clean_url(url) for url in raw], paper["title"]
        for url in found:
            assert not url.endswith((".", ",", ")", "}")) and "{" not in url
        seen += len(found)
    assert seen == 14
