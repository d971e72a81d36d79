"""The write API: personal tokens (hashed, scoped, revocable) and the web UI's rules."""

import pytest

from dailypapers.api import tokens
from dailypapers.api.models import ApiToken
from dailypapers.community.models import Comment, Vote
from tests.community.conftest import FEATURED_AT

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def secret(member):
    _, secret = tokens.token_create(
        user=member, name="script", scopes=["vote", "comment", "submit"]
    )
    return secret


def test_tokens_are_stored_hashed(member, secret):
    token = ApiToken.objects.get()
    assert secret not in (token.token_hash, token.prefix) and token.prefix == secret[:10]


def test_upvote_with_a_token(client, paper, member, secret):
    url = f"/api/papers/{paper.arxiv_id}/upvote"
    response = client.post(url, {"up": True}, content_type="application/json", **bearer(secret))
    assert response.status_code == 200
    assert response.json() == {"voted": True, "upvotes": paper.upvote_count + 1}
    assert Vote.objects.filter(user=member, paper=paper).exists()
    client.post(url, {"up": False}, content_type="application/json", **bearer(secret))
    assert not Vote.objects.exists()


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
    denied = client.post(url, {}, content_type="application/json", **bearer(secret))
    assert denied.status_code == 403 and "'vote' scope" in denied.json()["error"]
    tokens.token_revoke(user=member, token_id=token.pk)
    response = client.post(f"/api/papers/{paper.arxiv_id}/comments", {"body": "hi"},
                           content_type="application/json", **bearer(secret))  # fmt: skip
    assert response.status_code == 401


def test_comment_and_its_rules(client, paper, secret):
    url = f"/api/papers/{paper.arxiv_id}/comments"
    made = client.post(
        url,
        {"body": "**Nice** <script>x</script>"},
        content_type="application/json",
        **bearer(secret),
    )
    assert made.status_code == 201 and "<strong>Nice</strong>" in made.json()["html"]
    assert "<script>" not in made.json()["html"]
    empty = client.post(url, {"body": "  "}, content_type="application/json", **bearer(secret))
    assert empty.status_code == 400 and "cannot be empty" in empty.json()["error"]
    huge = client.post(
        url, {"body": "x" * 10_001}, content_type="application/json", **bearer(secret)
    )
    assert huge.status_code == 422
    broken = client.post(url, "{not json", content_type="application/json", **bearer(secret))
    assert broken.status_code in (400, 422) and "error" in broken.json()
    assert Comment.objects.count() == 1


def test_submission_rules_apply(client, paper, secret, settings):
    settings.SUBMISSION_MAX_AGE_DAYS = 100_000
    made = client.post(
        "/api/submissions",
        {"reference": paper.arxiv_id},
        content_type="application/json",
        **bearer(secret),
    )
    assert made.status_code == 201 and made.json()["submittedBy"] == "ada"
    again = client.post(
        "/api/submissions",
        {"reference": paper.arxiv_id},
        content_type="application/json",
        **bearer(secret),
    )
    assert again.status_code == 400 and "already on the feed" in again.json()["error"]


def test_api_and_web_share_one_rate_limit(client, paper, member, secret, settings):
    settings.RATE_LIMIT_VOTE = "3/m"
    client.force_login(member)
    for _ in range(2):
        client.post(f"/votes/{paper.pk}", {"up": "1"})
    url = f"/api/papers/{paper.arxiv_id}/upvote"
    assert (
        client.post(url, {}, content_type="application/json", **bearer(secret)).status_code == 200
    )
    limited = client.post(url, {}, content_type="application/json", **bearer(secret))
    assert limited.status_code == 429 and "too many" in limited.json()["error"]


def test_token_settings_page(client, member):
    client.force_login(member)
    page = client.post("/settings/tokens", {"name": "ci", "scopes": ["vote"]})
    body = page.content.decode()
    token = ApiToken.objects.get()
    assert page.status_code == 200 and "dp_" in body and token.prefix in body
    client.post("/settings/tokens", {"revoke": token.pk})
    assert ApiToken.objects.get().revoked_at is not None
    refused = client.post("/settings/tokens", {"name": "x", "scopes": []})
    assert refused.status_code == 400


def test_featured_day_is_today(client, paper, secret, settings):
    settings.SUBMISSION_MAX_AGE_DAYS = 100_000
    made = client.post(
        "/api/submissions",
        {"reference": paper.arxiv_id},
        content_type="application/json",
        **bearer(secret),
    )
    assert made.json()["day"] != str(FEATURED_AT.date())
