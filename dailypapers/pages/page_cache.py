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
Last-Modified too.

A request is served from the cache only when it carries no session cookie
(so it is not signed in) and no messages cookie (a notice waits for it).
``PAGE_CACHE_SECONDS`` bounds how long a page is kept, for changes that
reach pages without going through a service (a username changed in the
admin).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from functools import cache as once

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from dailypapers.core import page_version


def public_page(view):
    """Mark a view whose page, for a visitor not signed in, depends only on
    its URL and on what public pages show (so it may be cached)."""
    view.public_page = True
    return view


@once
def placeholder() -> str:
    """What pages hold in place of the CSRF token until sent. Derived from the
    secret key: the same in every process, unguessable to a commenter who
    would otherwise write it into a page and have it replaced."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"page-cache-csrf", hashlib.sha256)
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
            version = page_version.cache().get(page_version.KEY) or _new_version()
            entry = _near.get(key, version)
            if entry is None:
                entry = page_version.cache().get(key)
                if entry is not None and entry[0] == version:
                    _near.keep(key, entry)
                else:
                    entry = None
            if entry is not None:
                return self._served(request, entry)
        response = self.get_response(request)
        body = self._body(request, response)
        if body is None:
            return response
        if key and self._storable(request, response):
            patch_vary_headers(response, ("Cookie",))
            response["Last-Modified"] = http_date(time.time())
            entry = (version, body, list(response.items()))
            page_version.cache().set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)
            _near.keep(key, entry)
        return self._with_token(request, response, body)

    @staticmethod
    def _body(request: HttpRequest, response: HttpResponse) -> bytes | None:
        """The page as rendered, with its ETag set, when it is one this
        middleware handles (a complete page that may hold the placeholder)."""
        if response.streaming or response.status_code != 200:
            return None
        body = response.content
        if not response.has_header("ETag"):
            digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
            response["ETag"] = f'W/"{digest}"'
        if "Cache-Control" not in response:
            # Browsers keep the page but ask each time (a 304 when unchanged).
            private = settings.SESSION_COOKIE_NAME in request.COOKIES
            patch_cache_control(response, no_cache=True, **({"private": True} if private else {}))
        return body

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
        return self._with_token(request, response, body)

    @staticmethod
    def _with_token(request: HttpRequest, response: HttpResponse, body: bytes) -> HttpResponse:
        mark = placeholder().encode()
        if mark in body:
            body = body.replace(mark, get_token(request).encode())
        response.content = body
        return response


class _NearPages:
    """The pages this process served last, so that a hit reads only the
    version from the shared cache, not the page (a hundred kilobytes to
    fetch and unpickle). Bounded by size; the oldest go first."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._pages: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, version: str):
        with self._lock:
            entry = self._pages.get(key)
            if entry is None or entry[0] != version:
                return None
            self._pages.move_to_end(key)
            return entry

    def keep(self, key: str, entry: tuple) -> None:
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self.size -= len(old[1])
            self._pages[key] = entry
            self.size += len(entry[1])
            while self.size > self.max_bytes and self._pages:
                _, dropped = self._pages.popitem(last=False)
                self.size -= len(dropped[1])


_near = _NearPages(max_bytes=32 * 1024 * 1024)


def _new_version() -> str:
    """The cache lost the version (culled, or a Redis restarted): start a new one."""
    page_version.changed()
    return page_version.cache().get(page_version.KEY)
