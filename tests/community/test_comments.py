"""Comments: threads of one level, own edits and deletions, reports."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dailypapers.community import services
from dailypapers.community.models import Comment, CommentReport
from dailypapers.papers.models import Paper

pytestmark = pytest.mark.django_db


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
    from tests.factories import make_paper

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


def test_report_once_and_not_your_own(paper, member, other):
    comment = services.comment_create(author=member, paper_id=paper.pk, body="Spam?")
    assert services.comment_report(user=other, comment_id=comment.pk, reason="spam") is True
    assert services.comment_report(user=other, comment_id=comment.pk, reason="spam") is False
    with pytest.raises(ValidationError):
        services.comment_report(user=member, comment_id=comment.pk)
    assert CommentReport.objects.count() == 1
