"""Calls from other services: the mail provider's bounce reports."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dailypapers.digests import services


@csrf_exempt
@require_POST
def bounces(request: HttpRequest) -> JsonResponse:
    """Bounce reports from the mail provider: ``Authorization: Bearer <DIGEST_WEBHOOK_SECRET>``,
    JSON ``{"email": ..., "type": "hard"|"soft"|"complaint", "reason": ...}``."""
    secret = settings.DIGEST_WEBHOOK_SECRET
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"error": "missing or wrong webhook secret"}, status=403)
    try:
        data = json.loads(request.body[:100_000])
        if not isinstance(data, dict):
            raise ValueError("expected a JSON object")
        suppressed = services.record_bounce(
            email=str(data.get("email", "")), kind=str(data.get("type", "")),
            reason=str(data.get("reason", ""))[:150],
        )  # fmt: skip
    except (ValueError, UnicodeDecodeError) as exc:
        return JsonResponse({"error": f"malformed JSON body: {exc}"}, status=400)
    except ValidationError:
        return JsonResponse({"error": "“email” is not a valid address"}, status=400)
    return JsonResponse({"suppressed": suppressed}, status=202)
