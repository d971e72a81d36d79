"""The library's pages and buttons: save, not interested, read, notes,
follows, "For you" and author pages, with htmx and without JavaScript."""

import datetime as dt

import pytest
from django.utils import timezone

from dailypapers.library import services
from dailypapers.library.models import Entry, Follow
from dailypapers.search import services as search_services
from tests.factories import add_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(db):
    today = timezone.localdate()
    day = (today - dt.timedelta(days=1)).isoformat()
    older = (today - dt.timedelta(days=3)).isoformat()
    return {
        "fold": add_paper(
            "2611.00001", "Protein folding with transformers", "Amino acids to structures.",
            authors=("Rosalind Franklin", "Linus Pauling"), published=day, day=day,
        ),
        "design": add_paper(
            "2611.00002", "Protein design by diffusion", "New proteins that fold.",
            authors=("Rosalind Franklin",), published=older, day=older,
        ),
        "robot": add_paper(
            "2611.00003", "Robot grasping from pixels", "A hand picks up objects.",
            authors=("Ada Lovelace",), published=day, day=day,
        ),
    }  # fmt: skip


def test_saving_works_with_htmx_and_without_javascript(client, member, papers):
    pk = papers["fold"]
    page = client.get("/papers/").content.decode()
    assert 'class="save-button' not in page  # signed out: nothing to save into
    client.force_login(member)
    page = client.get("/papers/").content.decode()
    assert 'class="save-button"' in page and "Keyboard shortcuts" in page and "<kbd>j</kbd>" in page
    response = client.post(f"/library/{pk}", {"action": "save", "next": "/papers/"})
    assert response.status_code == 302 and response["Location"] == "/papers/"
    assert Entry.objects.get(user=member, paper_id=pk).saved_at
    fragment = client.post(f"/library/{pk}", {"action": "unsave"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and ">Save</button>" in fragment.content.decode()
    assert not Entry.objects.get(user=member, paper_id=pk).saved_at
    client.post(f"/library/{pk}", {"action": "save"}, HTTP_HX_REQUEST="true")
    assert 'class="save-button saved"' in client.get("/papers/").content.decode()


def test_signed_out_readers_are_sent_to_sign_in(client, papers):
    response = client.post(f"/library/{papers['fold']}", {"action": "save"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/for-you").status_code == 302
    assert not Entry.objects.exists()


def test_the_library_keeps_notes_and_read_marks(client, member, papers):
    client.force_login(member)
    pk = papers["fold"]
    client.post(f"/library/{pk}", {"action": "save"})
    client.post(f"/library/{pk}", {"action": "note", "note": "Check the ablation."})
    fragment = client.post(f"/library/{pk}", {"action": "read"}, HTTP_HX_REQUEST="true")
    assert "Check the ablation." in fragment.content.decode()
    page = client.get("/library").content.decode()
    assert "1 saved paper." in page and "Protein folding with transformers" in page
    assert "Check the ablation." in page and 'class="read-button read"' in page


def test_bad_input_is_a_clear_400_and_loses_nothing(client, member, papers):
    client.force_login(member)
    pk = papers["fold"]
    client.post(f"/library/{pk}", {"action": "note", "note": "Keep me."})
    too_long = client.post(f"/library/{pk}", {"action": "note", "note": "x" * 2001})
    assert too_long.status_code == 400 and b"at most 2,000 characters" in too_long.content
    unknown = client.post(f"/library/{pk}", {"action": "delete-everything"})
    assert unknown.status_code == 400 and b"Unknown action" in unknown.content
    missing = client.post("/library/999999", {"action": "save"})
    assert missing.status_code == 400 and b"does not exist" in missing.content
    bad_follow = client.post("/follows", {"kind": "category", "value": "NOT A CATEGORY", "on": "1"})
    assert bad_follow.status_code == 400 and b"not an arXiv category" in bad_follow.content
    assert Entry.objects.get(user=member, paper_id=pk).note == "Keep me."
    assert not Follow.objects.exists()


def test_for_you_says_why_and_not_interested_takes_a_paper_out(client, member, papers):
    search_services.index_if_needed()
    client.force_login(member)
    before = client.get("/for-you").content.decode()
    assert "until then it shows what is trending" in before
    client.post(f"/library/{papers['fold']}", {"action": "save"})
    services.tastes_retrain()
    page = client.get("/for-you").content.decode()
    assert "closest to the 1 paper you saved or upvoted" in page
    assert "Because you liked “Protein folding with transformers”" in page
    assert page.index("Protein design by diffusion") < page.index("Robot grasping from pixels")
    fragment = client.post(
        f"/library/{papers['robot']}", {"action": "dismiss"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "fewer papers like this" in fragment and "Undo" in fragment
    assert "Robot grasping from pixels" not in client.get("/for-you").content.decode()


def test_author_pages_list_papers_newest_first_with_coauthors_and_follow(client, member, papers):
    page = client.get("/authors/Rosalind Franklin").content.decode()
    assert page.index("Protein folding with transformers") < page.index(
        "Protein design by diffusion"
    )
    assert "Linus Pauling" in page and "Robot grasping" not in page
    assert "/authors/Rosalind%20Franklin" in client.get("/papers/").content.decode()
    # Case and accents are folded, as search folds them.
    assert "Protein design" in client.get("/authors/rosalind franklin").content.decode()
    assert client.get("/authors/Nobody Here").status_code == 404
    client.force_login(member)
    fragment = client.post(
        "/follows",
        {"kind": "author", "value": "Rosalind Franklin", "on": "1"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert ">Following</button>" in fragment
    assert Follow.objects.filter(user=member, kind="author", value="Rosalind Franklin").exists()
    assert ">Following</button>" in client.get("/authors/Rosalind Franklin").content.decode()


def test_import_and_export_pages(client, member, papers):
    client.force_login(member)
    page = client.post(
        "/library/import", {"kind": "ids", "text": "2611.00001 arXiv:2611.00003 not-an-id"}
    )
    assert page.status_code == 200 and "2 saved, 1 unreadable" in page.content.decode()
    bad = client.post("/library/import", {"kind": "export", "text": "{not json"})
    assert bad.status_code == 400 and "Not JSON: line 1" in bad.content.decode()
    exported = client.get("/library/export.json")
    assert exported["Content-Disposition"] == 'attachment; filename="library.json"'
    document = exported.json()
    assert {i["arxiv_id"] for i in document["library"]} == {"2611.00001", "2611.00003"}
    bib = client.get("/library/export.bib").content.decode()
    assert bib.count("@") == 2 and "Protein folding with transformers" in bib
