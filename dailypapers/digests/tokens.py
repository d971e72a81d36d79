"""Signed links in digest emails.

Confirmation links expire (a week) and name the subscription's generation,
so a link mailed before an unsubscribe cannot reactivate it. Unsubscribe
links never expire: a reader must be able to leave from any old email. Both
are HMAC-signed with SECRET_KEY (django.core.signing); a forged or altered
token is refused.
"""

from __future__ import annotations

from django.core import signing

from dailypapers.core.errors import Invalid

CONFIRM_SALT = "dailypapers.digests.confirm"
UNSUBSCRIBE_SALT = "dailypapers.digests.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


class InvalidToken(Invalid):
    """A forged, altered or expired link; the message says what to do."""


def confirm_token(subscription) -> str:
    return signing.dumps([subscription.pk, subscription.generation], salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> tuple[int, int]:
    try:
        pk, generation = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        return int(pk), int(generation)
    except signing.SignatureExpired:
        raise InvalidToken("This confirmation link has expired; subscribe again.") from None
    except (signing.BadSignature, TypeError, ValueError):
        raise InvalidToken("This confirmation link is not valid.") from None


def unsubscribe_token(subscription) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscription.pk))


def read_unsubscribe_token(token: str) -> int:
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise InvalidToken("This unsubscribe link is not valid.") from None
