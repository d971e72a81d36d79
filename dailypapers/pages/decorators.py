"""What several pages require of a request."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote, urlsplit

from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from dailypapers.core.redirects import safe_next


def member_required(view):
    """Signed-in members only; others are sent to sign in (htmx: the whole page),
    and back to the page they were on once they have."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        login = f"{reverse('account_login')}?next={quote(_came_from(request), safe='/')}"
        if request.htmx:
            return HttpResponseClientRedirect(login)
        return redirect(login)

    return wrapped


def _came_from(request: HttpRequest) -> str:
    """The form's ``next``; else the page an htmx request was made from; else
    this page itself when it is one (a GET)."""
    if request.htmx and request.htmx.current_url:
        parts = urlsplit(request.htmx.current_url)
        here = parts.path + (f"?{parts.query}" if parts.query else "")
    else:
        here = request.get_full_path() if request.method == "GET" else "/"
    return safe_next(request, default=here if here.startswith("/") else "/")
