"""Subscribers in the admin, with a preview of a subscription's next digest."""

import pytest

from tests.digests.conftest import subscriber

pytestmark = pytest.mark.django_db


def test_admin_preview(client, django_user_model, db):
    admin_user = django_user_model.objects.create_superuser(
        "root", "root@example.org", "pw-123-root"
    )
    sub = subscriber("x@example.org")
    client.force_login(admin_user)
    response = client.get(f"/admin/digests/subscription/{sub.pk}/preview/")
    assert response.status_code == 200 and "No email would be sent" in response.content.decode()
    assert client.get("/admin/digests/delivery/").status_code == 200
