"""Rate limits of members' actions, shared by the pages and the JSON API, and
the client address they count per.

Limits are settings of the form "<count>/<unit>" (django-ratelimit), read at
each request so that operators and tests can change them at run time. Counts
live in Django's cache, which every app process shares (settings.CACHES). A
page and an API endpoint that count in the same ``group`` share one budget.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit


def _rate(setting: str):
    return lambda group, request: getattr(settings, setting)


def limited(group: str, setting: str, *, key: str = "user"):
    """A view decorator: POSTs past the limit get settings.RATELIMIT_VIEW's 429.
    ``key`` is "user" (per member) or "ip" (per client address)."""
    return ratelimit(group=group, key=key, rate=_rate(setting), method="POST", block=True)


def over_limit(request: HttpRequest, group: str, setting: str, *, key: str = "user") -> bool:
    """Counts this request and says whether it is past the limit (for the API)."""
    return is_ratelimited(
        request,
        group=group,
        key=key,
        rate=getattr(settings, setting),
        method="POST",
        increment=True,
    )


def client_ip(request: HttpRequest) -> str:
    """The address of the client (settings.RATELIMIT_IP_META_KEY): behind
    TRUSTED_PROXY_COUNT reverse proxies, the one the nearest of them saw
    (X-Forwarded-For, counted from the right: what a client writes into the
    header itself sits to the left and is never read); otherwise the peer's."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
    if count and len(forwarded) >= count and forwarded[-count]:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
