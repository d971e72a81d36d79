"""The page where members create, see and revoke API tokens."""

import pytest

from dailypapers.api.models import ApiToken

pytestmark = pytest.mark.django_db


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
