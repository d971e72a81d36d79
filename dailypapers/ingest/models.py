"""Where long-running ingest work stands, so that a killed run resumes.

Each is written in the same transaction as the papers it accounts for: after
a crash the state and the data agree, and the next run picks up from there.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class HarvestState(models.Model):
    """One OAI-PMH ListRecords harvest (endpoint, format, set and date range)."""

    endpoint = models.CharField(max_length=300)
    metadata_prefix = models.CharField(max_length=32)
    set_spec = models.CharField(max_length=64, blank=True)
    # ISO dates, empty for an open end (text, so the unique key has no NULLs).
    from_date = models.CharField(max_length=10, blank=True)
    until_date = models.CharField(max_length=10, blank=True)
    # The token of the next page to ask for; empty before the first page.
    resumption_token = models.TextField(blank=True)
    pages = models.PositiveIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)
    complete_list_size = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "metadata_prefix", "set_spec", "from_date", "until_date"],
                name="harvest_state_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.metadata_prefix} {self.set_spec or '*'} {self.from_date}..{self.until_date}"


class ImportCheckpoint(models.Model):
    """How far a file import got: lines committed, and the bad lines seen."""

    kind = models.CharField(max_length=32)
    source = models.CharField(max_length=1000)
    fingerprint = models.CharField(max_length=64)
    lines_done = models.PositiveBigIntegerField(default=0)
    bad_lines = models.PositiveIntegerField(default=0)
    # The first problems, as "line N: message", kept for the final summary.
    problems = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "source"], name="import_checkpoint_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source} @ line {self.lines_done}"
