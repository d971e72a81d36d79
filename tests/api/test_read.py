"""The read API: the Daily Papers API's shapes, checked with the real
huggingface_hub client, and its answers to bad parameters."""

import pytest
from huggingface_hub import HfApi, close_session

from dailypapers.papers.models import Listing, Paper
from dailypapers.search.vocabulary import vocabulary_refresh
from tests.factories import add_paper


@pytest.fixture
def hf(live_site, monkeypatch):
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    yield HfApi(endpoint=live_site, token=False)
    # The client's kept-alive connection holds a live-server thread, and that
    # thread its database connection: the test database could not be dropped.
    close_session()


def test_huggingface_hub_list_daily_papers(hf):
    papers = list(hf.list_daily_papers(date="2025-10-08"))
    stored = Listing.objects.filter(day="2025-10-08", status="featured", is_hidden=False)
    assert len(papers) == stored.count() > 5
    first = papers[0]
    paper = Paper.objects.get(arxiv_id=first.id)
    assert first.title == paper.title and first.upvotes == paper.upvote_count
    assert [a.name for a in first.authors] == paper.author_names
    assert first.submitted_by is not None and first.submitted_at is not None
    week = list(hf.list_daily_papers(week="2025-W41", limit=100))
    assert {p.id for p in papers} <= {p.id for p in week}
    trending = list(hf.list_daily_papers(month="2025-10", sort="trending", limit=5))
    assert len(trending) == 5


def test_huggingface_hub_paper_info_and_search(hf):
    info = hf.paper_info("2510.06217")
    paper = Paper.objects.get(arxiv_id="2510.06217")
    assert (info.id, info.title, info.upvotes) == ("2510.06217", paper.title, paper.upvote_count)
    found = list(hf.list_papers(query="2510.06217"))
    assert found[0].id == "2510.06217"
    from huggingface_hub.errors import HfHubHTTPError

    with pytest.raises(HfHubHTTPError) as exc:
        hf.paper_info("2510.99999")
    assert exc.value.response.status_code == 404


@pytest.mark.django_db
def test_pages_and_limits(client, imported):
    everything = client.get("/api/daily_papers?month=2025-10&limit=100").json()
    first = client.get("/api/daily_papers?month=2025-10&limit=3&p=0").json()
    second = client.get("/api/daily_papers?month=2025-10&limit=3&p=1").json()
    assert [e["paper"]["id"] for e in first + second] == [e["paper"]["id"] for e in everything[:6]]
    by = everything[0]["submittedBy"]["name"]
    mine = client.get(f"/api/daily_papers?submitter={by}&limit=100").json()
    assert mine and all(e["submittedBy"]["name"] == by for e in mine)


@pytest.mark.django_db
def test_cursor_pagination_walks_every_paper_once(client, imported):
    seen, cursor = [], None
    while True:
        url = "/api/papers?limit=7" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url).json()
        seen += [p["id"] for p in page["papers"]]
        cursor = page.get("nextCursor")  # absent on the last page
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == Paper.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url,status,message",
    [
        ("/api/daily_papers?limit=0", 422, "invalid parameters"),
        ("/api/daily_papers?limit=101", 422, "invalid parameters"),
        ("/api/daily_papers?p=-1", 422, "invalid parameters"),
        ("/api/daily_papers?p=abc", 422, "invalid parameters"),
        ("/api/daily_papers?sort=random", 422, "invalid parameters"),
        ("/api/daily_papers?date=2025-13-45", 400, "2025-13-45"),
        ("/api/daily_papers?week=2025-W99", 400, "2025-W99"),
        ("/api/daily_papers?date=2025-10-08&month=2025-10", 400, "at most one"),
        ("/api/daily_papers?colour=blue", 400, "unknown parameter(s): colour"),
        ("/api/papers?cursor=forged", 400, "cursor is not valid"),
        ("/api/papers/search", 422, "invalid parameters"),
        ("/api/papers/search?q=" + "x" * 2001, 422, "invalid parameters"),
        ("/api/papers/2510.99999", 404, "no paper"),
        ("/api/papers/not-an-id", 404, "no paper"),
        ("/api/nothing-here", 404, ""),
    ],
)
def test_errors_are_json_with_a_message(client, imported, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    if url != "/api/nothing-here":
        assert message in response.json()["error"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q", ['"unbalanced', "NEAR(", "*", "'; DROP TABLE papers_paper; --", "🤖", " "]
)
def test_hostile_searches(client, imported, q):
    response = client.get("/api/papers/search", {"q": q})
    assert response.status_code == 200 and isinstance(response.json(), list)


@pytest.mark.django_db
def test_a_category_in_the_query_lists_that_categorys_newest_papers(client, corpus):
    found = client.get("/api/papers/search", {"q": "cs.IT"}).json()
    assert [p["id"] for p in found] == ["2502.00002", "2501.00001"]
    found = client.get("/api/papers/search", {"q": "cs.it mutual information"}).json()
    assert [p["id"] for p in found][0] == "2501.00001"
    assert client.get("/api/papers/search", {"q": "cs.CV information"}).json() == []


@pytest.mark.django_db
def test_a_typo_is_offered_the_words_the_papers_hold(client, corpus):
    add_paper("2505.00005", "Information bottlenecks", "Little information passes.")
    vocabulary_refresh()
    got = client.get("/api/papers/search/suggestion", {"q": "Informaton theory"})
    assert got.json() == {"q": "Informaton theory", "suggestion": "Information theory"}
    got = client.get("/api/papers/search/suggestion", {"q": "information theory"})
    assert got.json() == {"q": "information theory", "suggestion": None}
    # Not an arXiv id read from the path of /api/papers/{id}, and misuse is refused.
    assert client.get("/api/papers/search/suggestion").status_code == 422
    too_long = client.get("/api/papers/search/suggestion", {"q": "x" * 2001})
    assert too_long.status_code == 422
    assert client.get("/api/papers/search/suggestion", {"q": "a", "x": "1"}).status_code == 400


@pytest.mark.django_db
def test_openapi_schema_and_docs(client):
    schema = client.get("/api/openapi.json").json()
    paths = {"/api/daily_papers", "/api/papers/search", "/api/papers/search/suggestion"}
    assert paths | {"/api/papers"} <= set(schema["paths"])
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content


def test_huggingface_hub_sees_links_full_names_and_reads_a_paper(hf, django_user_model):
    from dailypapers.community.services import comment_create

    papers = {p.id: p for p in hf.list_daily_papers(date="2025-10-08")}
    paper = Paper.objects.get(arxiv_id="2509.26328")  # Fast-dLLM v2: code and project page
    item = papers[paper.arxiv_id]
    assert (item.github_repo, item.project_page) == (paper.code_url, paper.project_url)
    assert item.github_repo.startswith("https://github.com/")
    # The submitter's full name where the source has one, not the handle again.
    assert (item.submitted_by.username, item.submitted_by.fullname) == ("WuChengyue", "Wu Chengyue")
    assert item.published_at == paper.published_at

    author = django_user_model.objects.create_user("ada", "ada@example.org", "pw-long-enough-1")
    comment_create(author=author, paper_id=paper.pk, body="Does the **block** size matter?")
    text = hf.read_paper("2509.26328")
    assert text.startswith(f"# {paper.title}\n")
    assert paper.abstract[:200] in text and "- Code: https://github.com/" in text
    assert "### ada" in text and "Does the **block** size matter?" in text
    from huggingface_hub.errors import HfHubHTTPError

    with pytest.raises(HfHubHTTPError) as exc:
        hf.read_paper("2510.99999")
    assert exc.value.response.status_code == 404
