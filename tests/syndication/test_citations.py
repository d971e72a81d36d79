"""BibTeX and RIS: one paper, a day, a search, a member's upvotes; escaping."""

import pytest

from dailypapers.community import services
from dailypapers.papers.models import Paper
from dailypapers.papers.periods import period_containing
from dailypapers.papers.selectors import feed_listings

pytestmark = pytest.mark.django_db


def test_bibtex_and_ris_of_a_paper(client, imported):
    paper = Paper.objects.get(arxiv_id="2510.06217")
    bib = client.get("/cite/2510.06217.bib")
    assert bib["Content-Type"].startswith("application/x-bibtex")
    text = bib.content.decode()
    assert text.startswith("@misc{zou2025tattoo,") and "eprint = {2510.06217}" in text
    assert "archivePrefix = {arXiv}" in text and text.count("{") == text.count("}")
    ris = client.get("/cite/2510.06217.ris").content.decode()
    assert ris.startswith("TY  - ") and "ER  - " in ris
    assert [
        line[6:] for line in ris.splitlines() if line.startswith("AU  - ")
    ] == paper.author_names
    page = client.get("/papers/2510.06217").content.decode()
    assert "Copy BibTeX" in page and "zou2025tattoo" in page
    assert client.get("/cite/2510.99999.bib").status_code == 404
    assert client.get("/cite/2510.06217.pdf").status_code == 404


def test_citation_lists(client, imported, member):
    day = client.get("/cite/day/2025-10-08.bib").content.decode()
    count = len(
        list(
            feed_listings(period=period_containing("day", __import__("datetime").date(2025, 10, 8)))
        )
    )
    assert day.count("@misc{") == count
    keys = [
        line.split("{", 1)[1].rstrip(",") for line in day.splitlines() if line.startswith("@misc")
    ]
    assert len(keys) == len(set(keys))  # unique keys within a list
    search = client.get("/cite/search.ris?q=reasoning").content.decode()
    assert search.count("TY  - ") >= 1
    paper = Paper.objects.get(arxiv_id="2510.06217")
    services.vote_set(user=member, paper_id=paper.pk, up=True)
    mine = client.get(f"/cite/upvotes/{member.username}.bib").content.decode()
    assert mine.count("@misc{") == 1 and "2510.06217" in mine
    assert client.get("/cite/day/2025-13-45.bib").status_code == 404


def test_bibtex_escapes_special_characters():
    from dailypapers.syndication.citations import bibtex

    paper = Paper(
        arxiv_id="2510.00001", title="100% of {braces} & $math_x$ #1", authors=[{"name": "A B"}]
    )
    text = bibtex([paper])
    assert r"100\% of \{braces\} \& \$math\_x\$ \#1" in text
