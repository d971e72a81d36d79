"""What spans a member's data across the apps: the export of all of it."""

from __future__ import annotations

from dailypapers.digests.models import Subscription
from dailypapers.library.transfer import library_export


def member_export(*, user) -> dict:
    """Everything a member has on this site as one JSON-ready document: the
    library's export (library.transfer) and their digest settings."""
    document = library_export(user=user)
    subscription = Subscription.objects.filter(user=user).first()
    document["digest"] = (
        {
            "email": subscription.email,
            "status": subscription.status,
            "cadence": subscription.cadence,
            "time_zone": subscription.time_zone,
            "top_n": subscription.top_n,
            "categories": subscription.categories,
            "include_keywords": subscription.include_keywords,
            "exclude_keywords": subscription.exclude_keywords,
        }
        if subscription
        else None
    )
    return document
