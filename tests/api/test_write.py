"""The write API: upvotes, comments and submissions by token, under the web UI's rules."""

import pytest

from dailypapers.community.models import Comment, Vote
from tests.api.conftest import api_post
from tests.factories import FEATURED_AT

pytestmark = pytest.mark.django_db


def test_upvote_with_a_token(client, paper, member, secret):
    url = f"/api/papers/{paper.arxiv_id}/upvote"
    response = api_post(client, url, {"up": True}, secret)
    assert response.status_code == 200
    assert response.json() == {"voted": True, "upvotes": paper.upvote_count + 1}
    assert Vote.objects.filter(user=member, paper=paper).exists()
    api_post(client, url, {"up": False}, secret)
    assert not Vote.objects.exists()


def test_comment_and_its_rules(client, paper, secret):
    url = f"/api/papers/{paper.arxiv_id}/comments"
    made = api_post(client, url, {"body": "**Nice** <script>x</script>"}, secret)
    assert made.status_code == 201 and "<strong>Nice</strong>" in made.json()["html"]
    assert "<script>" not in made.json()["html"]
    empty = api_post(client, url, {"body": "  "}, secret)
    assert empty.status_code == 400 and "cannot be empty" in empty.json()["error"]
    huge = api_post(client, url, {"body": "x" * 10_001}, secret)
    assert huge.status_code == 422
    broken = api_post(client, url, "{not json", secret)
    assert broken.status_code in (400, 422) and "error" in broken.json()
    assert Comment.objects.count() == 1


def test_submission_rules_apply(client, paper, secret, settings):
    settings.SUBMISSION_MAX_AGE_DAYS = 100_000
    made = api_post(client, "/api/submissions", {"reference": paper.arxiv_id}, secret)
    assert made.status_code == 201 and made.json()["submittedBy"] == "ada"
    again = api_post(client, "/api/submissions", {"reference": paper.arxiv_id}, secret)
    assert again.status_code == 400 and "already on the feed" in again.json()["error"]


def test_api_and_web_share_one_rate_limit(client, paper, member, secret, settings):
    settings.RATE_LIMIT_VOTE = "3/m"
    client.force_login(member)
    for _ in range(2):
        client.post(f"/votes/{paper.pk}", {"up": "1"})
    url = f"/api/papers/{paper.arxiv_id}/upvote"
    assert api_post(client, url, {}, secret).status_code == 200
    limited = api_post(client, url, {}, secret)
    assert limited.status_code == 429 and "too many" in limited.json()["error"]


def test_featured_day_is_today(client, paper, secret, settings):
    settings.SUBMISSION_MAX_AGE_DAYS = 100_000
    made = api_post(client, "/api/submissions", {"reference": paper.arxiv_id}, secret)
    assert made.json()["day"] != str(FEATURED_AT.date())


@pytest.mark.parametrize("body", ["[]", '"x"', "null", "[[{}]]", '{"up": "yes"}', '{"upp": true}'])
def test_an_upvote_body_that_is_not_the_schema_is_422(client, paper, secret, body):
    url = f"/api/papers/{paper.arxiv_id}/upvote"
    response = api_post(client, url, body, secret)
    assert response.status_code == 422, response.content
    assert response.json()["error"] == "invalid parameters or body"
    assert not Vote.objects.exists()
