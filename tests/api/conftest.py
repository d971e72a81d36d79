"""A member's API token with every scope, and the header that presents one."""

import pytest

from dailypapers.api import tokens


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def secret(member):
    _, secret = tokens.token_create(
        user=member, name="script", scopes=["vote", "comment", "submit"]
    )
    return secret


def api_post(client, url: str, body, secret: str):
    """POST ``body`` as JSON to the API with ``secret`` as the bearer token."""
    return client.post(url, body, content_type="application/json", **bearer(secret))
