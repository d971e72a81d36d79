"""The JSON API's answers when no endpoint handled the request (pages.errors
hands them requests under /api/): a path no endpoint matches, a crash."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"error": f"no endpoint at {request.path[:200]}"}, status=404)


def server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"error": "internal error; it has been logged"}, status=500)
