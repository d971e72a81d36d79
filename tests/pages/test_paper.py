"""The paper page: full metadata, canonical URLs, and not-found cases."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from dailypapers.papers.identifiers import title_key
from dailypapers.papers.models import Paper
from dailypapers.papers.records import PaperRecord
from dailypapers.papers.services import papers_upsert
from tests.conftest import load_day, load_seed

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_shows_all_authors_in_order_and_links(client, imported):
    response = client.get("/papers/2510.06217")
    assert response.status_code == 200
    page = soup(response)
    entry = next(e for e in load_day("2025-10-08") if e["paper"]["id"] == "2510.06217")
    names = [li.get_text() for li in page.select(".author-list li")]
    assert names == [a["name"] for a in entry["paper"]["authors"]]
    assert len(names) == 9 and names[0] == "Jiaru Zou" and names[-1] == "Jingrui He"
    assert page.select_one("#authors-h").get_text() == "9 authors"
    assert page.select_one("a.link-arxiv")["href"] == "https://arxiv.org/abs/2510.06217"
    assert page.select_one("a.link-pdf")["href"] == "https://arxiv.org/pdf/2510.06217"
    assert "Oct 7, 2025" in page.select_one(".paper-dates").get_text()
    assert page.select_one(".upvote-count").get_text() == "35"
    assert page.select_one(".featured-days a")["href"] == "/papers/date/2025-10-08"


def test_full_arxiv_metadata_is_shown(client):
    papers_upsert(
        records=[
            PaperRecord(
                arxiv_id="astro-ph/0601001",
                version=2,
                title="An Old Paper",
                abstract="Text. Code at https://github.com/x/y.",
                authors=[{"name": "A B"}],
                categories=["astro-ph", "gr-qc"],
                comments="12 pages",
                doi="10.1000/xyz",
                journal_ref="ApJ 1 (2006) 1",
                source="arxiv",
                observed_at=dt.datetime(2006, 1, 1, tzinfo=dt.UTC),
            )
        ]
    )
    page = soup(client.get("/papers/astro-ph/0601001"))
    text = page.get_text(" ")
    assert "arXiv:astro-ph/0601001v2" in text and "12 pages" in text and "ApJ 1 (2006) 1" in text
    assert [c.get_text() for c in page.select(".paper-meta .category")] == ["astro-ph", "gr-qc"]
    assert page.select_one("a.link-code")["href"] == "https://github.com/x/y"
    assert page.select_one("a.link-pdf")["href"] == "https://arxiv.org/pdf/astro-ph/0601001v2"


@pytest.mark.parametrize("alias", ["2510.06217v3", "arXiv:2510.06217"])
def test_aliases_redirect_to_the_canonical_url(client, imported, alias):
    response = client.get(f"/papers/{alias}")
    assert response.status_code == 301 and response["Location"] == "/papers/2510.06217"


def test_seed_paper_without_arxiv_id_has_a_local_url(client, imported):
    seed = load_seed()[0]  # "Forget BIT, It is All about TOKEN", on no Daily Papers day
    paper = Paper.objects.get(title_key=title_key(seed["title"]))
    assert paper.arxiv_id is None
    response = client.get(f"/papers/{paper.ref}")
    assert response.status_code == 200
    assert "did not list the author names" in response.content.decode()


def test_local_url_of_a_paper_that_got_an_arxiv_id_redirects(client, imported):
    paper = Paper.objects.get(arxiv_id="2510.06855")
    assert paper.local_key  # it came from the saved page first
    response = client.get(f"/papers/dp-{paper.local_key}")
    assert response.status_code == 301 and response["Location"] == "/papers/2510.06855"


@pytest.mark.parametrize(
    "ref", ["2510.99999", "dp-000000000000", "not-an-id", "../../etc/passwd", "2510.06217'--"]
)
def test_unknown_ids_are_404_and_say_so(client, imported, ref):
    response = client.get(f"/papers/{ref}")
    assert response.status_code == 404
    assert "is known here" in response.content.decode()


def test_user_text_is_escaped(client):
    papers_upsert(
        records=[
            PaperRecord(
                arxiv_id="2501.00001",
                title="<script>alert(1)</script> Title",
                abstract='<img src=x onerror="alert(1)"> abstract',
                source="arxiv",
                observed_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
            )
        ]
    )
    body = client.get("/papers/2501.00001").content.decode()
    assert "<script>alert(1)</script>" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_comment_counts_say_which_comments_are_here_and_which_elsewhere(client, member):
    from dailypapers.community import services
    from tests.factories import FEATURED_AT, make_paper

    paper = make_paper("2510.07777", day=FEATURED_AT.date(), num_comments=2)

    def counts(url: str) -> tuple[str, str]:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        here = soup.select_one(".comment-count").get_text(strip=True)
        elsewhere = soup.select_one(".comments-elsewhere")
        return here, (elsewhere.get_text(" ", strip=True), elsewhere["href"]) if elsewhere else ""

    hf = ("2 comments on Hugging Face", "https://huggingface.co/papers/2510.07777")
    assert counts(paper.get_absolute_url()) == ("0", hf)
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "No comments yet" in page and "0 comments" in page
    services.comment_create(author=member, paper_id=paper.pk, body="A local comment")
    assert counts(paper.get_absolute_url()) == ("1", hf)
    assert "1 comment" in client.get(paper.get_absolute_url()).content.decode()
    day = counts(f"/papers/date/{FEATURED_AT.date()}")
    assert day == ("1", ("2 on Hugging Face", hf[1]))
