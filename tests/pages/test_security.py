"""Security headers, CSRF on every state change, and pages without inline script."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import get_resolver

from dailypapers.community import services
from tests.factories import FEATURED_AT

pytestmark = pytest.mark.django_db


def test_headers_on_every_page(client, paper):
    for url in ("/papers/", paper.get_absolute_url(), "/papers/trending", "/accounts/login/"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in response  # plain HTTP


def test_hsts_over_https(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/papers/", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_inline_script_or_style_in_pages(client, paper, member, moderator):
    services.comment_create(author=member, paper_id=paper.pk, body="Hello")
    client.force_login(moderator)
    for url in (
        "/papers/",
        paper.get_absolute_url(),
        "/papers/trending",
        "/papers/search?q=attention",
        "/submit",
        "/users/ada",
        "/about/ranking",
        "/accounts/password/change/",
    ):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        for script in soup.find_all("script"):
            assert script.get("src"), f"inline script on {url}"
        assert not soup.find_all("style"), url
        assert not soup.select("[style]"), url
        for tag in soup.find_all(True):
            assert not any(a.lower().startswith(("on", "hx-on")) for a in tag.attrs), (url, tag)


STATE_CHANGES = [
    ("/votes/{paper}", {"up": "1"}),
    ("/comments/on/{paper}", {"body": "hi"}),
    ("/comments/{comment}/edit", {"body": "x"}),
    ("/comments/{comment}/delete", {}),
    ("/comments/{comment}/report", {"reason": "x"}),
    ("/comments/{comment}/moderate", {"hidden": "1"}),
    ("/submit", {"reference": "2510.06217"}),
    ("/curate/{paper}", {"day": str(FEATURED_AT.date()), "action": "hide"}),
    ("/accounts/logout/", {}),
]


@pytest.mark.parametrize("url,data", STATE_CHANGES)
def test_every_state_change_needs_a_csrf_token(url, data, paper, member, moderator):
    comment = services.comment_create(author=member, paper_id=paper.pk, body="Hello")
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    response = client.post(url.format(paper=paper.pk, comment=comment.pk), data)
    assert response.status_code == 403, url


def test_the_csrf_list_covers_every_community_url():
    from dailypapers.pages.urls import community_urls

    covered = {u.split("/{")[0].split("/")[1] for u, _ in STATE_CHANGES}
    for pattern in community_urls:
        first = str(pattern.pattern).split("/")[0]
        assert first in covered | {"users"}, first  # profiles are read-only
    assert get_resolver()  # the URLconf loads
