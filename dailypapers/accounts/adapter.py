"""allauth's account rules, with the site's one idea of a client's address."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from dailypapers.core.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """Sign-in and sign-up limits count per address as every other limit
        does, behind TRUSTED_PROXY_COUNT proxies (core.ratelimit.client_ip)."""
        return client_ip(request) or super().get_client_ip(request)
