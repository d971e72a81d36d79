"""Moderation in the admin: the report queue and its actions."""

import pytest

from dailypapers.community import services
from dailypapers.papers.models import Paper

pytestmark = pytest.mark.django_db


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
