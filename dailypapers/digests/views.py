"""Digest pages: subscribe, confirm, unsubscribe (RFC 8058 one-click), settings,
preview and the bounce webhook."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from dailypapers.digests import services, tokens
from dailypapers.digests.compose import compose
from dailypapers.digests.periods import last_complete
from dailypapers.digests.render import context as email_context
from dailypapers.digests.render import render_digest

SUBSCRIBED = (
    "Almost done: we sent a confirmation link to {email}. Nothing is sent until you confirm."
)


@require_POST
@ratelimit(key="ip", rate=lambda g, r: settings.RATE_LIMIT_SUBSCRIBE, method="POST", block=True)
def subscribe(request: HttpRequest) -> HttpResponse:
    email = request.POST.get("email", "")[:300]
    try:
        services.subscribe(
            email=email,
            cadence=request.POST.get("cadence", "daily"),
            tz=request.POST.get("timezone", "UTC"),
        )
    except ValidationError:
        message, ok = "Enter a valid email address.", False
    else:
        message, ok = SUBSCRIBED.format(email=email.strip()), True
    if request.htmx:
        return render(
            request, "digests/_subscribe_result.html", {"message": message, "ok": ok},
            status=200 if ok else 400,
        )  # fmt: skip
    (messages.success if ok else messages.error)(request, message)
    return redirect(request.POST.get("next") if _ours(request) else "papers:feed")


def _ours(request: HttpRequest) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(target, {request.get_host()})


def _invalid(request: HttpRequest, exc: tokens.InvalidToken) -> HttpResponse:
    return render(request, "digests/message.html", {"title": "Link not valid", "message": str(exc)},
                  status=400)  # fmt: skip


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms."""
    try:
        if request.method == "POST":
            sub = services.confirm(token=token)
            return render(request, "digests/message.html", {
                "title": "Subscribed",
                "message": f"{sub.email} will get the {sub.get_cadence_display().lower()} digest.",
            })  # fmt: skip
        tokens.read_confirm_token(token)
    except tokens.InvalidToken as exc:
        return _invalid(request, exc)
    return render(request, "digests/confirm.html", {"token": token})


# Mail clients send the one-click POST (body "List-Unsubscribe=One-Click")
# without a CSRF token; the signed token in the URL is the authorisation.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            sub = services.unsubscribe(token=token)
            return render(request, "digests/unsubscribed.html", {"sub": sub, "token": token})
        sub = services.subscription_for(token=token)
    except tokens.InvalidToken as exc:
        return _invalid(request, exc)
    return render(request, "digests/unsubscribe.html", {"sub": sub, "token": token})


def _token_action(request: HttpRequest, action, title: str, message) -> HttpResponse:
    """Run ``action`` on the subscription a signed link names and say what was done."""
    try:
        result = action()
    except tokens.InvalidToken as exc:
        return _invalid(request, exc)
    return render(request, "digests/message.html", {"title": title, "message": message(result)})


# The links in an email act for its reader without a session: the signed
# token is the authorisation, as for the one-click unsubscribe.
@require_POST
@csrf_exempt
def resubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return _token_action(
        request,
        lambda: services.resubscribe(token=token),
        "Subscribed again",
        lambda sub: f"{sub.email} will get the {sub.get_cadence_display().lower()} digest again.",
    )


@require_POST
@csrf_exempt
def forget(request: HttpRequest, token: str) -> HttpResponse:
    return _token_action(
        request,
        lambda: services.forget(token=token),
        "Deleted",
        lambda email: f"Everything this site kept about {email}'s digest is deleted.",
    )


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    sub = services.member_subscription(user=request.user)
    error = ""
    if request.method == "POST":
        try:
            prefs = services.preferences_from(request.POST)
            sub = services.save_member_preferences(
                user=request.user, preferences=prefs, active=request.POST.get("active") == "1"
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, "Digest settings saved.")
            return redirect("digests:settings")
    return render(request, "digests/settings.html", {
        "sub": sub, "error": error, "default_top_n": settings.DIGEST_TOP_N,
        "cadences": services.Subscription.Cadence.choices,
    }, status=400 if error else 200)  # fmt: skip


def preview_page(request: HttpRequest, sub, template: str) -> HttpResponse:
    period = last_complete(cadence=sub.cadence, tz=sub.time_zone, now=timezone.now())
    digest = compose(sub, period=period)
    values = {"sub": sub, "digest": digest, "period": period}
    if not digest.is_empty:
        message = render_digest(sub, digest)
        values.update(
            subject=message.subject, text=message.body, html=message.alternatives[0][0],
            email=email_context(sub, digest),
        )  # fmt: skip
    return render(request, template, values)


@login_required
def preview(request: HttpRequest) -> HttpResponse:
    sub = services.member_subscription(user=request.user)
    if sub is None:
        messages.info(request, "Set up your digest first; the preview shows it.")
        return redirect("digests:settings")
    return preview_page(request, sub, "digests/preview.html")


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
