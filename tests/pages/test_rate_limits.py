"""Limits per client address, directly and behind a reverse proxy."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def subscribe(client, n: int, **headers):
    return client.post(
        "/digest/subscribe", {"email": f"reader{n}@example.org"}, REMOTE_ADDR="10.0.0.1", **headers
    ).status_code


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(client, settings):
    settings.RATE_LIMIT_SUBSCRIBE = "2/h"
    settings.TRUSTED_PROXY_COUNT = 1
    # Two readers behind the same proxy (10.0.0.1): the proxy appends each one's address.
    ada = {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    bob = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert [subscribe(client, n, **ada) for n in range(3)] == [302, 302, 429]
    assert subscribe(client, 3, **bob) == 302
    # What a client writes into the header itself is left of the proxy's entry.
    forged = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5"}
    assert subscribe(client, 4, **forged) == 429


def test_without_a_trusted_proxy_the_header_is_ignored(client, settings):
    settings.RATE_LIMIT_SUBSCRIBE = "2/h"
    settings.TRUSTED_PROXY_COUNT = 0
    codes = [subscribe(client, n, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}") for n in range(3)]
    assert codes == [302, 302, 429]


def test_sign_in_throttling_counts_the_forwarded_address_too(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "2/m/ip"}

    def throttled(address: str) -> bool:
        return "Too many failed login attempts" in client.post(
            "/accounts/login/", {"login": "nobody", "password": "wrong password"},
            REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address,
        ).content.decode()  # fmt: skip

    assert [throttled("203.0.113.5") for _ in range(3)] == [False, False, True]
    assert not throttled("198.51.100.7")  # another reader behind the same proxy
