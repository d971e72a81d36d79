"""Personal API tokens. Only a hash is stored: the token is shown once, at creation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        VOTE = "vote", "Upvote papers"
        COMMENT = "comment", "Comment on papers"
        SUBMIT = "submit", "Submit papers"
        LIBRARY_READ = "library:read", "Read your library and For you"
        LIBRARY_WRITE = "library:write", "Save papers, mark them, write notes"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # sha256 of the token: enough for a random 256-bit secret, and fast to look up.
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so that a member can tell tokens apart in the list.
    prefix = models.CharField(max_length=12)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
