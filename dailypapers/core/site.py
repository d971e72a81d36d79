"""Absolute links to this site, for emails, feeds and the API, where no request says the host."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` ("/papers/2510.06217") under the site's public root (SITE_ROOT)."""
    return settings.SITE_ROOT + path


def domain() -> str:
    """The host name of the site's public root, for Message-IDs."""
    return urlsplit(settings.SITE_ROOT).hostname or "localhost"
