"""The papers admin: edits keep trending keys current."""

import pytest

from dailypapers.papers.models import Paper

pytestmark = pytest.mark.django_db


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
