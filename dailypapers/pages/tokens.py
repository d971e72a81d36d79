"""The account page where members create, see and revoke their API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from dailypapers.api import tokens
from dailypapers.api.models import ApiToken


@login_required
def token_settings(request):
    secret, error = "", ""
    if request.method == "POST":
        if "revoke" in request.POST:
            if tokens.token_revoke(user=request.user, token_id=request.POST["revoke"]):
                messages.success(request, "Token revoked: it no longer works.")
                return redirect("api_tokens")
            error = "That is not one of your tokens; nothing was revoked."
        else:
            secret, error = _create(request)
    return render(
        request,
        "api/tokens.html",
        {
            "tokens": tokens.tokens_of(user=request.user),
            "scopes": ApiToken.Scope.choices,
            "secret": secret,
            "error": error,
        },
        status=400 if error else 200,
    )


def _create(request) -> tuple[str, str]:
    """(the new token's secret, or the reason there is none)."""
    try:
        _, secret = tokens.token_create(
            user=request.user,
            name=request.POST.get("name", ""),
            scopes=request.POST.getlist("scopes"),
        )
    except ValidationError as exc:
        return "", exc.messages[0]
    return secret, ""
