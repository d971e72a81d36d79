"""Email digests: who asked for what, and the outbox that delivers it exactly once.

One Delivery row per (subscription, period) is the whole delivery protocol:
the unique constraint means a period is planned once however many workers or
runs plan it, and a worker sends a row only after claiming it with a
conditional update. See digests/delivery.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Subscription(models.Model):
    class Cadence(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    class Status(models.TextChoices):
        # Waiting for the address to confirm (double opt-in): nothing is sent.
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Active"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscriptions",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    cadence = models.CharField(max_length=8, choices=Cadence.choices, default=Cadence.DAILY)
    # IANA name ("Europe/Paris"); the period of a digest is the subscriber's local day or week.
    time_zone = models.CharField(max_length=64, default="UTC")
    # How many trending papers of the period, before the filters' matches.
    top_n = models.PositiveSmallIntegerField(default=10)
    # Filters: arXiv categories or archives ("cs.CL cs.LG math"), words that
    # must or must not appear in a paper's title or abstract, and saved
    # searches run through site search.
    categories = models.CharField(max_length=500, blank=True)
    include_keywords = models.CharField(max_length=500, blank=True)
    exclude_keywords = models.CharField(max_length=500, blank=True)
    saved_searches = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Bumped on unsubscribe and resubscribe, and part of every signed link:
    # a confirmation link from before an unsubscribe cannot reactivate it.
    generation = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="subscription_email_ci_unique")]
        indexes = [models.Index(fields=["status", "cadence"], name="subscription_due_idx")]

    def __str__(self) -> str:
        return f"{self.email} ({self.cadence}, {self.status})"

    @property
    def category_list(self) -> list[str]:
        return self.categories.split()


class Suppression(models.Model):
    """An address never to write to again (a hard bounce or a complaint)."""

    email = models.EmailField(max_length=254)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="suppression_email_ci_unique")]

    def __str__(self) -> str:
        return f"{self.email}: {self.reason}"


class Delivery(models.Model):
    """The outbox: one digest of one subscription for one period."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        # Claimed by a worker until lease_until; an expired lease is claimable again.
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        # Nothing matched the period and filters: no email, by design.
        EMPTY = "empty", "Nothing to send"
        # Refused for good (a permanent SMTP error, a suppressed address, retries exhausted).
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    papers = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_start"], name="delivery_one_per_period"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_claim_idx")]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.period_start}..{self.period_end} {self.status}"
