"""Normalisation shared by every source: TeX, whitespace, author names."""

import pytest

from dailypapers.papers import authors
from dailypapers.papers.latex import latex_to_text
from dailypapers.papers.text import clean_text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (r"C. Bal\'azs", "C. Balázs"),
        (r"G\"odel, {\"o}, \"{u}", "Gödel, ö, ü"),
        (r"Erd\H{o}s and Ha\v{s}ek", "Erdős and Hašek"),
        (r"Fran\c{c}ois, Fran\c cois", "François, François"),
        (r"\'{\i}ndice and {\ss} and \o{}", "índice and ß and ø"),
        (r"50\% of \$5 \& more", "50% of $5 & more"),
        (r"\emph{Deep} \textbf{\textit{nested}} models", "Deep nested models"),
        (r"in {\em Lie algebras} and {\bf bold}", "in Lie algebras and bold"),
        (r"kernel $\mathcal{O}(n^2)$ with \'e", r"kernel $\mathcal{O}(n^2)$ with é"),
        (r"$$\sum_i x_i$$ stays", r"$$\sum_i x_i$$ stays"),
        ("no TeX at all", "no TeX at all"),
        (r"a trailing backslash \ ", r"a trailing backslash  "),
    ],
)
def test_latex_to_text(raw, text):
    assert latex_to_text(raw) == text


def test_clean_text_squashes_arxiv_line_wrapping():
    assert (
        clean_text("  Calculation of prompt\n  diphoton production\t ")
        == "Calculation of prompt diphoton production"
    )
    assert clean_text("Cafe\u0301") == "Café"  # NFC


def test_parsed_authors_keep_order_and_split_names():
    parsed = [["Bal\\'azs", "C.", ""], ["Yuan", "C. -P.", ""], ["Smith", "John", "Jr", "MIT"]]
    assert authors.from_parsed(parsed) == [
        {"name": "C. Balázs", "family": "Balázs", "given": "C."},
        {"name": "C.-P. Yuan", "family": "Yuan", "given": "C.-P."},
        {"name": "John Smith Jr", "family": "Smith", "given": "John", "affiliation": "MIT"},
    ]


def test_byline_strings():
    assert authors.from_string("A. Cabrera-Codony (Univ. X (Dept Y)), A. Valverde and B. Roe") == [
        {"name": "A. Cabrera-Codony"},
        {"name": "A. Valverde"},
        {"name": "B. Roe"},
    ]
    assert authors.from_string(r"G\"unter Burigana, et al.") == [{"name": "Günter Burigana"}]
    assert authors.from_string("") == []


def test_garbage_author_rows_are_skipped():
    assert authors.from_parsed([None, [], "x", ["", "", ""], ["Doe", None]]) == [
        {"name": "Doe", "family": "Doe"}
    ]
