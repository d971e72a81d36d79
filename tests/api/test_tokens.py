"""Personal API tokens: stored hashed, scoped, revocable."""

import pytest

from dailypapers.api import tokens
from dailypapers.api.models import ApiToken
from tests.api.conftest import api_post

pytestmark = pytest.mark.django_db


def test_tokens_are_stored_hashed(member, secret):
    token = ApiToken.objects.get()
    assert secret not in (token.token_hash, token.prefix) and token.prefix == secret[:10]


@pytest.mark.parametrize("header", [None, "Bearer nope", "Bearer dp_forged", "Basic Zm9vOmJhcg=="])
def test_missing_or_forged_tokens_are_401(client, paper, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(
        f"/api/papers/{paper.arxiv_id}/upvote", {}, content_type="application/json", **extra
    )
    assert response.status_code == 401 and "API token" in response.json()["error"]


def test_scopes_and_revocation(client, paper, member):
    token, secret = tokens.token_create(user=member, name="read-ish", scopes=["comment"])
    url = f"/api/papers/{paper.arxiv_id}/upvote"
    denied = api_post(client, url, {}, secret)
    assert denied.status_code == 403 and "'vote' scope" in denied.json()["error"]
    tokens.token_revoke(user=member, token_id=token.pk)
    response = api_post(client, f"/api/papers/{paper.arxiv_id}/comments", {"body": "hi"}, secret)
    assert response.status_code == 401
