"""Subscribing, confirming, leaving and bounces. Answers never reveal whether
an address is subscribed: the same message whatever its state.

A member has one digest: the subscription linked to their account (or, until
it is linked, the one of their account's address). Subscribing another
address moves it there, once that address confirms; their own verified
address needs no confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from dailypapers.digests import tokens
from dailypapers.digests.models import Subscription, Suppression
from dailypapers.digests.periods import valid_timezone
from dailypapers.digests.render import render_confirmation

MAX_SAVED_SEARCHES = 5


def _email(raw: str) -> str:
    email = (raw or "").strip()
    if len(email) > 254:
        raise ValidationError("That email address is too long.")
    validate_email(email)
    return email


def _timezone(raw: str) -> str:
    return raw if raw and valid_timezone(raw) else "UTC"


def _cadence(raw: str) -> str:
    return raw if raw in Subscription.Cadence.values else Subscription.Cadence.DAILY


def _find(email: str) -> Subscription | None:
    return Subscription.objects.filter(email__iexact=email).first()


def subscribe(
    *, email: str, cadence: str = "daily", tz: str = "UTC", user=None
) -> Subscription | None:
    """Start a double opt-in: a confirmation email to a new or not yet active address.

    An active address is left alone (no email: the form must not become a way
    to mail strangers repeatedly); a suppressed one gets nothing. A signed-in
    ``user`` subscribes their one digest (``member_subscribe``), which is
    returned; for anyone else, None, whatever happened.
    """
    email = _email(email)
    if Suppression.objects.filter(email__iexact=email).exists():
        return None
    if user is not None and user.is_authenticated:
        return member_subscribe(user=user, email=email, cadence=_cadence(cadence), tz=_timezone(tz))
    with transaction.atomic():
        sub = _find(email)
        if sub is None:
            try:
                with transaction.atomic():
                    sub = Subscription.objects.create(
                        email=email, cadence=_cadence(cadence), time_zone=_timezone(tz),
                        top_n=settings.DIGEST_TOP_N,
                    )  # fmt: skip
            except IntegrityError:
                sub = _find(email)  # a concurrent request created it
        elif sub.status == Subscription.Status.ACTIVE:
            return None
        else:
            sub.cadence, sub.time_zone = _cadence(cadence), _timezone(tz)
            sub.save(update_fields=["cadence", "time_zone"])
    render_confirmation(sub).send()
    return None


def confirm(*, token: str) -> Subscription:
    pk, generation = tokens.read_confirm_token(token)
    sub = Subscription.objects.filter(pk=pk, generation=generation).first()
    if sub is None:
        raise tokens.InvalidToken("This confirmation link is no longer valid; subscribe again.")
    if sub.status != Subscription.Status.ACTIVE:
        _activate(sub)
    return sub


def _activate(sub: Subscription) -> None:
    sub.status = Subscription.Status.ACTIVE
    sub.confirmed_at = timezone.now()
    sub.unsubscribed_at = None
    sub.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])


def subscription_for(*, token: str) -> Subscription:
    """The subscription an unsubscribe link names."""
    sub = Subscription.objects.filter(pk=tokens.read_unsubscribe_token(token)).first()
    if sub is None:
        raise tokens.InvalidToken("This subscription no longer exists.")
    return sub


def unsubscribe(*, token: str) -> Subscription:
    sub = subscription_for(token=token)
    Subscription.objects.filter(pk=sub.pk).exclude(status=Subscription.Status.UNSUBSCRIBED).update(
        status=Subscription.Status.UNSUBSCRIBED,
        unsubscribed_at=timezone.now(),
        generation=F("generation") + 1,
    )
    sub.refresh_from_db()
    return sub


def resubscribe(*, token: str) -> Subscription:
    """Back on from the unsubscribe page: the link proves the mailbox, no new opt-in."""
    sub = subscription_for(token=token)
    if Suppression.objects.filter(email__iexact=sub.email).exists():
        raise tokens.InvalidToken("Mail to this address bounced; subscribe again with another.")
    _activate(sub)
    return sub


def forget(*, token: str) -> str:
    """Delete the subscriber's data: the subscription and its delivery history."""
    sub = subscription_for(token=token)
    email = sub.email
    sub.delete()
    return email


@dataclass
class Preferences:
    cadence: str = "daily"
    time_zone: str = "UTC"
    top_n: int = 10
    categories: str = ""
    include_keywords: str = ""
    exclude_keywords: str = ""
    saved_searches: tuple[str, ...] = ()


def preferences_from(data) -> Preferences:
    """Read and check the settings form; ValidationError names the field at fault."""
    try:
        top_n = int(data.get("top_n", settings.DIGEST_TOP_N))
    except (TypeError, ValueError):
        raise ValidationError("“Top papers” must be a number.") from None
    if not 0 <= top_n <= 50:
        raise ValidationError("“Top papers” must be between 0 and 50.")
    tz = data.get("timezone", "UTC")
    if not valid_timezone(tz):
        raise ValidationError(f"Unknown time zone “{tz[:64]}”.")
    searches = tuple(
        line.strip()[:200]
        for line in str(data.get("saved_searches", "")).splitlines()
        if line.strip()
    )
    if len(searches) > MAX_SAVED_SEARCHES:
        raise ValidationError(f"At most {MAX_SAVED_SEARCHES} saved searches.")
    fields = {}
    for name in ("categories", "include_keywords", "exclude_keywords"):
        value = (
            " ".join(str(data.get(name, "")).split())
            if name == "categories"
            else str(data.get(name, "")).strip()
        )
        if len(value) > 500:
            raise ValidationError(
                f"“{name.replace('_', ' ')}” is too long (500 characters at most)."
            )
        fields[name] = value
    return Preferences(
        cadence=_cadence(data.get("cadence", "daily")), time_zone=tz, top_n=top_n,
        saved_searches=searches, **fields,
    )  # fmt: skip


def member_subscription(*, user) -> Subscription | None:
    """The member's one digest: the subscription linked to them, else their address's."""
    linked = Subscription.objects.filter(user=user).order_by("-pk").first()
    if linked is not None or not user.email:
        return linked
    return Subscription.objects.filter(email__iexact=user.email, user__isnull=True).first()


def _verified(user, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def member_subscribe(*, user, email: str, cadence: str, tz: str) -> Subscription | None:
    """The member's digest, to ``email``: at once for their own verified address,
    after that address confirms for another. An address whose digest belongs
    to someone else is left alone (None), with the same answer to the member."""
    sub = member_subscription(user=user)
    taken = Subscription.objects.filter(email__iexact=email).exclude(pk=getattr(sub, "pk", None))
    owner = taken.first()
    if owner is not None and (owner.user_id not in (None, user.pk) or owner.status == "active"):
        if not _verified(user, email):
            return None
    with transaction.atomic():
        if owner is not None:  # an earlier, unconfirmed subscription of that address
            if sub is not None:
                sub.delete()
            sub = owner
        sub = sub or Subscription(email=email, top_n=settings.DIGEST_TOP_N)
        moved = sub.email.lower() != email.lower()
        sub.email, sub.user, sub.cadence, sub.time_zone = email, user, cadence, tz
        if _verified(user, email):
            sub.status, sub.confirmed_at, sub.unsubscribed_at = (
                Subscription.Status.ACTIVE, timezone.now(), None,
            )  # fmt: skip
        elif moved or sub.status != Subscription.Status.ACTIVE:
            # Links mailed to the old address, or before, no longer confirm it.
            sub.status, sub.generation = Subscription.Status.PENDING, sub.generation + 1
        sub.save()
    if sub.status == Subscription.Status.PENDING:
        render_confirmation(sub).send()
    return sub


def save_member_preferences(*, user, preferences: Preferences, active: bool) -> Subscription:
    """A signed-in member's digest settings. Their account's verified address
    needs no second opt-in; an address they subscribed is on once confirmed."""
    sub = member_subscription(user=user)
    if sub is None:
        if not _verified(user, user.email):
            raise ValidationError(
                "Verify your email address first (see your account's email page)."
            )
        sub = Subscription(email=user.email)
    sub.user = user
    for name, value in vars(preferences).items():
        setattr(sub, name, list(value) if name == "saved_searches" else value)
    now = timezone.now()
    confirmed = sub.confirmed_at is not None or _verified(user, sub.email)
    if active and sub.status != Subscription.Status.ACTIVE and confirmed:
        sub.status, sub.confirmed_at, sub.unsubscribed_at = Subscription.Status.ACTIVE, now, None
    elif not active and sub.status == Subscription.Status.ACTIVE:
        sub.status, sub.unsubscribed_at = Subscription.Status.UNSUBSCRIBED, now
    sub.save()
    return sub


def record_bounce(*, email: str, kind: str, reason: str = "") -> bool:
    """A bounce report; a hard bounce or a complaint suppresses the address. True if suppressed."""
    email = _email(email)
    if kind not in ("hard", "complaint"):
        return False
    Suppression.objects.get_or_create(
        email=email.lower(), defaults={"reason": f"{kind} bounce: {reason}"[:200]}
    )
    Subscription.objects.filter(email__iexact=email, status=Subscription.Status.ACTIVE).update(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )
    return True
