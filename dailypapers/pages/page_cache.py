"""Whole pages for visitors who are not signed in, kept in a shared cache.

Readers mostly read, and most are not signed in: the feed, trending, paper,
search and author pages a visitor sees are the same for every visitor until
something they show changes. Views marked ``@public_page`` are kept in the
"pages" cache (Django's cache framework: a database table by default, Redis
with ``CACHE_URL``, so every app process shares them) under the version of
what public pages show (core/page_version.py): a vote, comment, pin or new
featuring gives them a new version, so the next request renders again.

Django's own cache middleware is not used: it can only let pages expire,
while this one must drop them the moment the data changes, and it cannot
hand each visitor a CSRF token of their own. Pages are rendered with a
placeholder where the token goes (``csrf_placeholder``, a context
processor) and every response, cached or not, gets the visitor's token put
in its place; the cookie follows from Django's CSRF middleware as usual.

Every GET of a page gets an ETag computed from the page with the
placeholder, so Django's ConditionalGetMiddleware answers "304 Not
Modified" to a browser that has it, signed in or not; cached pages carry
Last-Modified too, and "X-Cache: hit".

A request is served from the cache only when it carries no session cookie
(so it is not signed in) and no messages cookie (a notice waits for it).
``PAGE_CACHE_SECONDS`` bounds how long a page is kept, for changes that
reach pages without going through a service (a username changed in the
admin).
"""

from __future__ import annotations

import hashlib
import hmac
import time
import zlib
from collections.abc import Callable
from functools import cache as once
from typing import TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.html import escape
from django.utils.http import http_date

from dailypapers.core import page_version
from dailypapers.core.cache import RecentValues

T = TypeVar("T")


def public_page(view):
    """Mark a view whose page, for a visitor not signed in, depends only on
    its URL and on what public pages show (so it may be cached)."""
    view.public_page = True
    return view


@once
def placeholder(what: str = "csrf") -> str:
    """What pages hold in place of the CSRF token (``csrf``) or of the page's
    own path (``next``, in forms that come back to it) until sent. Derived
    from the secret key: the same in every process, unguessable to a
    commenter who would otherwise write it into a page and have it replaced."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"page-cache-{what}".encode(), hashlib.sha256)
    return digest.hexdigest()[:48]


def csrf_placeholder(request: HttpRequest) -> dict:
    """Context processor: GET pages are rendered with the placeholder for the
    token (see the module's docstring)."""
    if getattr(request, "_page_placeholder", False):
        return {"csrf_token": placeholder()}
    return {}


def _cacheable_request(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


def _view(request: HttpRequest):
    try:
        return resolve(request.path_info).func
    except Resolver404:
        return None


def _key(request: HttpRequest) -> str:
    """The page's URL and, for htmx's partial renderings, which part."""
    variant = ""
    if request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted"):
        variant = request.headers.get("HX-Target", "") or "htmx"
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{variant}"
    return "page:" + hashlib.blake2b(where.encode(), digest_size=16).hexdigest()


class PageCacheMiddleware:
    """Between the CSRF middleware (whose cookie a served page may need) and
    the authentication middleware (which a cached page skips)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        request._page_placeholder = True
        key = version = None
        if _cacheable_request(request) and getattr(_view(request), "public_page", False):
            key = _key(request)
            version = current_version(request)
            entry = _near.get(key)
            if entry is not None and entry[0] != version:
                entry = None
            if entry is None:
                shared = page_version.cache().get(key)
                if shared is not None and shared[0] == version:
                    entry = (shared[0], zlib.decompress(shared[1]), shared[2])
                    _near.keep(key, entry)
            if entry is not None:
                return self._served(request, entry)
        response = self.get_response(request)
        if response.streaming:
            return response
        body = response.content
        if response.status_code == 200:
            self._validators(request, response, body)
            if key and self._storable(request, response):
                patch_vary_headers(response, ("Cookie",))
                response["Last-Modified"] = http_date(time.time())
                headers = list(response.items())
                # Compressed in the shared cache (a day page: 136 kB, 25 kB so).
                shared = (version, zlib.compress(body, 1), headers)
                page_version.cache().set(key, shared, timeout=settings.PAGE_CACHE_SECONDS)
                _near.keep(key, (version, body, headers))
        # Whatever its status, a page rendered here holds placeholders.
        return self._with_token(request, response, body)

    @staticmethod
    def _validators(request: HttpRequest, response: HttpResponse, body: bytes) -> None:
        """An ETag from the page with its placeholders (the same for every
        visitor while the page is), and how browsers may keep it."""
        if not response.has_header("ETag"):
            digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
            response["ETag"] = f'W/"{digest}"'
        if "Cache-Control" not in response:
            # Browsers keep the page but ask each time (a 304 when unchanged).
            private = settings.SESSION_COOKIE_NAME in request.COOKIES
            patch_cache_control(response, no_cache=True, **({"private": True} if private else {}))

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse) -> bool:
        session = getattr(request, "session", None)
        return not (
            response.cookies
            or (session is not None and session.modified)
            or "private" in response.get("Cache-Control", "")
            or "no-store" in response.get("Cache-Control", "")
        )

    def _served(self, request: HttpRequest, entry) -> HttpResponse:
        _, body, headers = entry
        response = HttpResponse(status=200)
        for name, value in headers:
            response[name] = value
        # As proxies say it; tests and operators can tell a page served from here.
        response["X-Cache"] = "hit"
        return self._with_token(request, response, body)

    @staticmethod
    def _with_token(request: HttpRequest, response: HttpResponse, body: bytes) -> HttpResponse:
        """The page as this request gets it: its token, its path."""
        mark = placeholder().encode()
        if mark in body:
            body = body.replace(mark, get_token(request).encode())
        mark = placeholder("next").encode()
        if mark in body:
            body = body.replace(mark, escape(request.get_full_path()).encode())
        response.content = body
        return response


# The pages this process served last, so that a hit reads only the version
# from the shared cache, not the page (a hundred kilobytes to fetch and
# unpickle). An entry is (version, page, headers).
_near: RecentValues[str, tuple] = RecentValues(max_bytes=32 * 2**20, sized=lambda e: len(e[1]))


# What views read of the stored data, by the version of public pages it was
# read under: pages that cannot be cached whole (a member's) still need not
# read again what every reader is shown. Weighed by the papers a read holds
# (a feed page up to 50, a paper's page with its related papers about 7; a
# few kB each in memory): at most 8,000 papers' worth, some 40 MB.
_reads: RecentValues[tuple, tuple] = RecentValues(max_bytes=8000, sized=lambda kept: kept[1])


def read_once(
    request: HttpRequest,
    key: tuple,
    fetch: Callable[[], T],
    *,
    papers: Callable[[T], int] = lambda _: 1,
) -> T:
    """``fetch()``, or what it returned for ``key`` in this process since what
    public pages show last changed; ``papers`` says how many papers it holds.
    What it returns is shared between requests and threads: it must hold no
    reader's state and not be changed."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return fetch()
    versioned = (current_version(request), *key)
    kept = _reads.get(versioned)
    if kept is None:
        found = fetch()
        if found is None:
            return found
        kept = (found, max(1, papers(found)))
        _reads.keep(versioned, kept)
    return kept[0]


def current_version(request: HttpRequest) -> str:
    """The version of what public pages show, asked once per request."""
    version = getattr(request, "_page_version", None)
    if version is None:
        version = page_version.cache().get(page_version.KEY)
        if version is None:
            # The cache lost it (culled, a Redis restarted): start a new one.
            page_version.changed()
            version = page_version.cache().get(page_version.KEY)
        request._page_version = version
    return version
