"""Digest pages: subscribe, confirm, unsubscribe (RFC 8058 one-click), settings, preview."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dailypapers.core.ratelimit import limited
from dailypapers.core.redirects import safe_next
from dailypapers.digests import services, tokens
from dailypapers.digests.models import Subscription
from dailypapers.digests.render import preview_context

SUBSCRIBED = (
    "Almost done: a confirmation link is on its way to {email}. Nothing is sent until you confirm."
)
SUBSCRIBED_MEMBER = "Subscribed: {email} gets your digest. Its filters are in your digest settings."


@require_POST
@limited("digests.subscribe", "RATE_LIMIT_SUBSCRIBE", key="ip")
def subscribe(request: HttpRequest) -> HttpResponse:
    email = request.POST.get("email", "")[:300]
    try:
        sub = services.subscribe(
            email=email,
            cadence=request.POST.get("cadence", "daily"),
            tz=request.POST.get("timezone", "UTC"),
            user=request.user,
        )
    except ValidationError:
        message, ok = "Enter a valid email address.", False
    else:
        active = sub is not None and sub.status == Subscription.Status.ACTIVE
        message, ok = (
            (SUBSCRIBED_MEMBER if active else SUBSCRIBED).format(email=email.strip()),
            True,
        )
    if request.htmx:
        return render(
            request, "digests/_subscribe_result.html", {"message": message, "ok": ok},
            status=200 if ok else 400,
        )  # fmt: skip
    (messages.success if ok else messages.error)(request, message)
    return redirect(safe_next(request, "papers:feed"))


def _message(request: HttpRequest, title: str, message: str, *, status: int = 200):
    return render(
        request, "digests/message.html", {"title": title, "message": message}, status=status
    )


def _invalid(request: HttpRequest, exc: tokens.InvalidToken) -> HttpResponse:
    return _message(request, "Link not valid", str(exc), status=400)


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms."""
    try:
        if request.method == "POST":
            sub = services.confirm(token=token)
            cadence = sub.get_cadence_display().lower()
            return _message(request, "Subscribed", f"{sub.email} will get the {cadence} digest.")
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


# What a signed link in an email does when its reader presses the button:
# the service, the page's title and what it says of the result.
_TOKEN_ACTIONS = {
    "resubscribe": (
        services.resubscribe,
        "Subscribed again",
        lambda sub: f"{sub.email} will get the {sub.get_cadence_display().lower()} digest again.",
    ),
    "forget": (
        services.forget,
        "Deleted",
        lambda email: f"Everything this site kept about {email}'s digest is deleted.",
    ),
}


# The links in an email act for its reader without a session: the signed
# token is the authorisation, as for the one-click unsubscribe.
@require_POST
@csrf_exempt
def token_action(request: HttpRequest, token: str, action: str) -> HttpResponse:
    """Subscribe again or delete everything, from a digest's unsubscribe page."""
    service, title, message = _TOKEN_ACTIONS[action]
    try:
        result = service(token=token)
    except tokens.InvalidToken as exc:
        return _invalid(request, exc)
    return _message(request, title, message(result))


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
        "cadences": Subscription.Cadence.choices,
    }, status=400 if error else 200)  # fmt: skip


@login_required
def preview(request: HttpRequest) -> HttpResponse:
    sub = services.member_subscription(user=request.user)
    if sub is None:
        messages.info(request, "Set up your digest first; the preview shows it.")
        return redirect("digests:settings")
    return render(request, "digests/preview.html", preview_context(sub, now=timezone.now()))
