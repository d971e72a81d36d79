"""What several pages require of a request."""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from dailypapers.core.redirects import safe_next


def member_required(view):
    """Signed-in members only; others are sent to sign in (htmx: the whole page)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        login = f"{reverse('account_login')}?next={safe_next(request)}"
        if request.htmx:
            return HttpResponseClientRedirect(login)
        return redirect(login)

    return wrapped
