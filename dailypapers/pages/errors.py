"""The site's error pages: 404, 500 and too many requests.

Under /api/ a client expects the API's JSON error body whatever went wrong,
including a path no endpoint matches (api.errors); elsewhere, HTML.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404
from django.views import defaults

from dailypapers.api import errors as api_errors


def not_found(request: HttpRequest, exception) -> HttpResponse:
    if api_errors.is_api(request):
        return api_errors.not_found(request)
    # A view's Http404 says why in a sentence; the URL resolver's carries the
    # patterns it tried, which is for developers (DEBUG's page), not readers.
    message = exception.args[0] if exception and exception.args else ""
    if isinstance(exception, Resolver404) or not isinstance(message, str):
        message = ""
    return render(
        request, "404.html", {"message": message, "request_path": request.path}, status=404
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if api_errors.is_api(request):
        return api_errors.server_error(request)
    return defaults.server_error(request)


def rate_limited(request: HttpRequest, exception) -> HttpResponse:
    """settings.RATELIMIT_VIEW: too many actions in a short time."""
    message = "Too many requests in a short time; wait a minute and try again."
    if request.htmx:
        return HttpResponse(f'<p class="form-error" role="alert">{message}</p>', status=429)
    return render(request, "community/rate_limited.html", {"message": message}, status=429)
