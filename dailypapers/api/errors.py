"""Error pages that answer API clients in JSON.

Django's own 404 and 500 pages are HTML; under /api/ a client expects the
API's error body whatever went wrong, including a path no endpoint matches.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"


def not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"error": f"no endpoint at {request.path[:200]}"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"error": "internal error; it has been logged"}, status=500)
    return defaults.server_error(request)
