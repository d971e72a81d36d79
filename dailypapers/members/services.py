"""Deleting a member and all they have here, across the apps."""

from __future__ import annotations

from django.db import transaction

from dailypapers.community.services import contributions_remove
from dailypapers.digests.models import Subscription


def member_delete(*, user) -> None:
    """The account and everything of it: upvotes withdrawn and comments
    deleted (counts recounted), digest subscriptions, then the account, whose
    library, follows, model, API tokens and pending imports go with it."""
    with transaction.atomic():
        contributions_remove(user=user)
        Subscription.objects.filter(user=user).delete()
        user.delete()
