"""The outbox every message of the site goes through (account mails, digest
confirmations): kept until the mail server has accepted it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        # Refused for good (a permanent SMTP error), or still failing after
        # MAIL_MAX_ATTEMPTS tries.
        FAILED = "failed", "Failed"

    from_email = models.CharField(max_length=320)
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=998, blank=True)
    # The message as it goes over the wire (RFC 5322), made once when queued.
    message = models.BinaryField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Also the claim: a sender moves it forward by a lease before it sends.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_due_idx")]
        verbose_name_plural = "outgoing mail"

    def __str__(self) -> str:
        return f"{', '.join(self.recipients)}: {self.subject} ({self.status})"
