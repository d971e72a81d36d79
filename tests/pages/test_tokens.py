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


@pytest.mark.parametrize("revoke", ["abc", "1.5", "-1", "9" * 30])
def test_revoking_something_that_is_not_a_token_id_is_a_clear_400(client, member, revoke):
    client.force_login(member)
    response = client.post("/settings/tokens", {"revoke": revoke})
    assert response.status_code == 400
    assert "not one of your tokens" in response.content.decode()
