"""Comment pages: plain and htmx posts, who may edit or moderate, escaping."""

import pytest
from django.core.exceptions import PermissionDenied

from dailypapers.community import services
from dailypapers.community.models import CommentReport
from dailypapers.papers.models import Paper
from tests.hostile import FORBIDDEN, HOSTILE_MARKDOWN, assert_inert

pytestmark = pytest.mark.django_db


def test_edit_views_refuse_other_users(client, paper, member, other):
    comment = services.comment_create(author=member, paper_id=paper.pk, body="Mine")
    client.force_login(other)
    assert client.get(f"/comments/{comment.pk}/edit").status_code == 403
    assert client.post(f"/comments/{comment.pk}/edit", {"body": "Yours"}).status_code == 403
    assert client.post(f"/comments/{comment.pk}/delete").status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Mine" and not comment.is_deleted


def test_only_moderators_hide_and_restore(client, paper, member, other, moderator):
    comment = services.comment_create(author=member, paper_id=paper.pk, body="Rude words")
    services.comment_report(user=other, comment_id=comment.pk, reason="rude")
    client.force_login(other)
    assert client.post(f"/comments/{comment.pk}/moderate", {"hidden": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.comment_moderate(moderator=member, comment_id=comment.pk, hidden=True)

    services.comment_moderate(moderator=moderator, comment_id=comment.pk, hidden=True)
    assert Paper.objects.get(pk=paper.pk).comment_count == paper.comment_count
    assert CommentReport.objects.get().resolved_at is not None
    page = client.get(paper.get_absolute_url()).content.decode()
    assert "Rude words" not in page  # hidden from other readers
    client.force_login(moderator)
    assert "Rude words" in client.get(paper.get_absolute_url()).content.decode()

    client.post(f"/comments/{comment.pk}/moderate", {"hidden": "0"})
    assert Paper.objects.get(pk=paper.pk).comment_count == paper.comment_count + 1


def test_comment_views_plain_and_htmx(client, paper, member):
    client.force_login(member)
    response = client.post(f"/comments/on/{paper.pk}", {"body": "Plain **post**"})
    assert response.status_code == 302 and "#comment-" in response["Location"]
    response = client.post(f"/comments/on/{paper.pk}", {"body": "Via htmx"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="comments"' in body and "Via htmx" in body and "<strong>post</strong>" in body
    error = client.post(f"/comments/on/{paper.pk}", {"body": ""}, HTTP_HX_REQUEST="true")
    assert "cannot be empty" in error.content.decode()


def test_xss_in_comments_titles_and_abstracts_renders_inert(client, member):
    from tests.factories import FEATURED_AT, make_paper

    paper = make_paper(
        "2510.06666",
        title='<script>alert("t")</script> Title',
        day=FEATURED_AT.date(),
        abstract='<img src=x onerror=alert("a")> abstract [x](javascript:alert(1))',
    )
    for text in HOSTILE_MARKDOWN:
        services.comment_create(author=member, paper_id=paper.pk, body=text)
    from bs4 import BeautifulSoup

    for url in (paper.get_absolute_url(), f"/papers/date/{FEATURED_AT.date()}", "/papers/trending"):
        html = client.get(url).content.decode()
        soup = BeautifulSoup(html, "html.parser")
        # The only scripts are the site's own files.
        assert all(s.get("src", "").startswith("/static/") for s in soup.find_all("script"))
        # The site's own icons are inline SVG (without handlers); nothing else.
        assert_inert(str(soup.find("main")), FORBIDDEN - {"svg"})
        assert "&lt;script&gt;" in html
