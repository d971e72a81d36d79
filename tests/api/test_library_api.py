"""The library and "For you" in the API, by token with the library scopes."""

import pytest

from dailypapers.api import tokens
from dailypapers.library.models import Entry
from tests.api.conftest import api_post, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def library_secret(member):
    return tokens.token_create(
        user=member, name="zotero sync", scopes=["library:read", "library:write"]
    )[1]


def test_save_note_and_read_through_the_api(client, paper, member, library_secret):
    url = f"/api/library/{paper.arxiv_id}"
    made = api_post(client, url, {"saved": True, "note": "For the reading group."}, library_secret)
    assert made.status_code == 200
    body = made.json()
    assert (
        body["paper"]["id"] == paper.arxiv_id
        and body["savedAt"]
        and body["note"] == "For the reading group."
    )
    listed = client.get("/api/library", **bearer(library_secret)).json()
    assert [e["paper"]["id"] for e in listed] == [paper.arxiv_id]
    api_post(client, url, {"read": True}, library_secret)
    entry = Entry.objects.get(user=member, paper=paper)
    assert entry.read_at and entry.saved_at and entry.note == "For the reading group."
    feed = client.get("/api/for-you", **bearer(library_secret))
    assert feed.status_code == 200 and set(feed.json()) == {"model", "papers"}


def test_scopes_and_bad_bodies_are_refused(client, paper, member, secret, library_secret):
    url = f"/api/library/{paper.arxiv_id}"
    assert api_post(client, url, {"saved": True}, secret).status_code == 403
    assert client.get("/api/library", **bearer(secret)).status_code == 403
    assert client.get("/api/library").status_code == 401
    assert api_post(client, url, {"saved": "yes"}, library_secret).status_code == 422
    assert api_post(client, url, {"note": "x" * 2001}, library_secret).status_code == 422
    assert api_post(client, url, {"colour": "red"}, library_secret).status_code == 422
    assert (
        api_post(client, "/api/library/2999.99999", {"saved": True}, library_secret).status_code
        == 404
    )
    assert not Entry.objects.exists()
    schema = client.get("/api/openapi.json").json()
    assert {"/api/library", "/api/library/{arxiv_id}", "/api/for-you"} <= set(schema["paths"])
