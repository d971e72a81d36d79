"""Comments: Markdown made safe, threads of one level, own edits, reports, moderation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dailypapers.community import services
from dailypapers.community.markdown import render
from dailypapers.community.models import Comment, CommentReport
from dailypapers.papers.models import Paper

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)">',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]


FORBIDDEN = {"script", "style", "img", "svg", "iframe", "object"}


def assert_inert(html: str, forbidden: set[str] = FORBIDDEN) -> None:
    """No live script, event handler, style, frame or non-web link in ``html``."""
    from bs4 import BeautifulSoup

    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        assert tag.name not in forbidden, html
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), html
            if name in ("href", "src"):
                scheme = str(value).split(":", 1)[0].lower() if ":" in str(value) else ""
                assert scheme in {"", "http", "https", "mailto"}, html


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_inert(text):
    assert_inert(render(text))


def test_markdown_keeps_what_comments_need():
    html = render("**bold** _em_ `code` [link](https://example.org)\n\n- a\n- b\n\n> quote")
    for tag in (
        "<strong>",
        "<em>",
        "<code>",
        '<a href="https://example.org"',
        "<li>",
        "<blockquote>",
    ):
        assert tag in html
    assert 'rel="nofollow ugc noopener"' in html


def test_create_counts_and_renders(paper, member):
    comment = services.comment_create(author=member, paper_id=paper.pk, body="**Great** paper")
    assert comment.body_html.startswith("<p><strong>Great</strong>")
    assert Paper.objects.get(pk=paper.pk).comment_count == paper.comment_count + 1


def test_replies_are_one_level_deep(paper, member, other):
    top = services.comment_create(author=member, paper_id=paper.pk, body="Question?")
    reply = services.comment_create(
        author=other, paper_id=paper.pk, body="Answer", parent_id=top.pk
    )
    deeper = services.comment_create(
        author=member, paper_id=paper.pk, body="Thanks", parent_id=reply.pk
    )
    assert reply.parent_id == top.pk and deeper.parent_id == top.pk


def test_a_reply_must_be_on_the_same_paper(paper, member):
    from tests.community.conftest import make_paper

    elsewhere = make_paper("2510.09999")
    top = services.comment_create(author=member, paper_id=elsewhere.pk, body="Hi")
    with pytest.raises(ValidationError):
        services.comment_create(author=member, paper_id=paper.pk, body="x", parent_id=top.pk)


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 10_001])
def test_empty_or_oversized_comments_are_refused(paper, member, body):
    with pytest.raises(ValidationError):
        services.comment_create(author=member, paper_id=paper.pk, body=body)
    assert not Comment.objects.exists()


def test_only_the_author_edits_or_deletes(paper, member, other):
    comment = services.comment_create(author=member, paper_id=paper.pk, body="First")
    with pytest.raises(PermissionDenied):
        services.comment_edit(user=other, comment_id=comment.pk, body="Hacked")
    with pytest.raises(PermissionDenied):
        services.comment_delete(user=other, comment_id=comment.pk)
    edited = services.comment_edit(user=member, comment_id=comment.pk, body="Second")
    assert edited.body == "Second" and edited.edited_at is not None
    services.comment_delete(user=member, comment_id=comment.pk)
    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == ""
    assert Paper.objects.get(pk=paper.pk).comment_count == paper.comment_count


def test_edit_views_refuse_other_users(client, paper, member, other):
    comment = services.comment_create(author=member, paper_id=paper.pk, body="Mine")
    client.force_login(other)
    assert client.get(f"/comments/{comment.pk}/edit").status_code == 403
    assert client.post(f"/comments/{comment.pk}/edit", {"body": "Yours"}).status_code == 403
    assert client.post(f"/comments/{comment.pk}/delete").status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Mine" and not comment.is_deleted


def test_report_once_and_not_your_own(paper, member, other):
    comment = services.comment_create(author=member, paper_id=paper.pk, body="Spam?")
    assert services.comment_report(user=other, comment_id=comment.pk, reason="spam") is True
    assert services.comment_report(user=other, comment_id=comment.pk, reason="spam") is False
    with pytest.raises(ValidationError):
        services.comment_report(user=member, comment_id=comment.pk)
    assert CommentReport.objects.count() == 1


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
    from tests.community.conftest import FEATURED_AT, make_paper

    paper = make_paper(
        "2510.06666",
        title='<script>alert("t")</script> Title',
        day=FEATURED_AT.date(),
        abstract='<img src=x onerror=alert("a")> abstract [x](javascript:alert(1))',
    )
    for text in HOSTILE:
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


def test_admin_moderation_queue_and_actions(client, paper, member, other, django_user_model):
    admin_user = django_user_model.objects.create_superuser(
        "root", "root@example.org", "pw-root-123"
    )
    comment = services.comment_create(author=member, paper_id=paper.pk, body="Buy pills")
    services.comment_report(user=other, comment_id=comment.pk, reason="spam")
    client.force_login(admin_user)
    queue = client.get("/admin/community/comment/?reports=open")
    assert queue.status_code == 200 and "Buy pills" in queue.content.decode()
    response = client.post(
        "/admin/community/comment/",
        {"action": "hide", "_selected_action": [comment.pk]},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_hidden and Paper.objects.get(pk=paper.pk).comment_count == paper.comment_count
    assert "Buy pills" not in client.get("/admin/community/comment/?reports=open").content.decode()
    for url in (
        "/admin/community/commentreport/",
        "/admin/community/vote/",
        "/admin/papers/listing/",
    ):
        assert client.get(url).status_code == 200


def test_admin_listing_edits_refresh_trending(client, paper, django_user_model):
    from dailypapers.papers.models import Listing

    admin_user = django_user_model.objects.create_superuser(
        "root", "root@example.org", "pw-root-123"
    )
    client.force_login(admin_user)
    listing = Listing.objects.get(paper=paper)
    assert paper.trending_key is not None
    client.post(
        "/admin/papers/listing/",
        {"action": "delete_selected", "_selected_action": [listing.pk], "post": "yes"},
    )
    assert Paper.objects.get(pk=paper.pk).trending_key is None
