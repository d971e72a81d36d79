"""Creating, checking and revoking personal API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone

from dailypapers.api.models import ApiToken

PREFIX = "dp_"
MAX_TOKENS = 20


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, user, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never shown again."""
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError("Give the token a name, to recognise it later.")
    scopes = sorted(set(scopes))
    unknown = [s for s in scopes if s not in ApiToken.Scope.values]
    if unknown or not scopes:
        raise ValidationError(
            f"Choose at least one of the scopes: {', '.join(ApiToken.Scope.values)}."
        )
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_TOKENS:
        raise ValidationError(f"At most {MAX_TOKENS} active tokens; revoke one first.")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, token_hash=_hash(secret), prefix=secret[:10], scopes=scopes
    )
    return token, secret


def token_revoke(*, user, token_id: int | str) -> bool:
    """Revoke one of the member's tokens; False when ``token_id`` names none of them."""
    if not str(token_id).isdigit() or len(str(token_id)) > 18:
        return False
    found = ApiToken.objects.filter(pk=int(token_id), user=user)
    found.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return found.exists()


def token_user(secret: str) -> tuple[object, ApiToken] | None:
    """The active token ``secret`` names and its user, or None."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user, token


def tokens_of(*, user) -> list[ApiToken]:
    """The member's tokens, newest first, revoked ones included."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at"))
