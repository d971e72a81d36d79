"""Papers and the days they were featured on.

Authors are kept in order as a JSON list on the paper rather than in an
Author table: every card needs them and a join per card would cost a query
or a prefetch per page, while author identity (who is "J. Smith"?) is not
something the sources tell us reliably. Search indexes the names as text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Paper(models.Model):
    # Canonical arXiv id without version ("2510.06217", "astro-ph/0601001").
    arxiv_id = models.CharField(max_length=32, unique=True, null=True, blank=True)
    # Papers first seen without an arXiv id (a saved page lists only titles)
    # get a stable key derived from the title; it keeps resolving after an
    # arXiv id is attached, so links never break.
    local_key = models.CharField(max_length=16, unique=True, null=True, blank=True)
    version = models.PositiveSmallIntegerField(null=True, blank=True)

    title = models.TextField()
    # Normalised title used to recognise the same paper across sources.
    title_key = models.CharField(max_length=255, db_index=True)
    abstract = models.TextField(blank=True)
    # [{"name": "Ada Lovelace", "given": "Ada", "family": "Lovelace"}], in byline order.
    authors = models.JSONField(default=list, blank=True)
    # Number of authors; a source may state a count without the names.
    authors_count = models.PositiveIntegerField(null=True, blank=True)
    # arXiv's own format: space-separated, primary category first.
    categories = models.CharField(max_length=500, blank=True)
    primary_category = models.CharField(max_length=32, blank=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    comments = models.TextField(blank=True)
    doi = models.CharField(max_length=255, blank=True)
    journal_ref = models.TextField(blank=True)
    report_no = models.CharField(max_length=255, blank=True)
    license = models.CharField(max_length=255, blank=True)

    code_url = models.URLField(max_length=500, blank=True)
    project_url = models.URLField(max_length=500, blank=True)
    # Every link found, [{"kind": "code"|"project"|"huggingface", "url": ...}].
    links = models.JSONField(default=list, blank=True)

    # Which source the metadata above came from and its date (see
    # papers.merge): they decide which of two records of the same paper wins,
    # whatever the order of the imports.
    metadata_source = models.CharField(max_length=16, blank=True)
    metadata_observed_at = models.DateTimeField(null=True, blank=True)

    # Counts observed at an external source (the Daily Papers API) and when.
    upvotes_imported = models.PositiveIntegerField(default=0)
    comments_imported = models.PositiveIntegerField(default=0)
    counts_observed_at = models.DateTimeField(null=True, blank=True)
    # What the site shows and sorts by: imported counts plus local votes and
    # comments, maintained by the services that change either.
    upvote_count = models.PositiveIntegerField(default=0, db_index=True)
    comment_count = models.PositiveIntegerField(default=0)
    # The trending order (papers.trending): engagement and the time the paper
    # was first featured folded into one number that does not change as time
    # passes, so that "trending" is an index scan at any size. Null for papers
    # never featured.
    trending_key = models.FloatField(null=True, blank=True, db_index=True)

    created_at = models.DateTimeField(default=timezone.now)
    modified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(arxiv_id__isnull=False) | models.Q(local_key__isnull=False),
                name="paper_has_an_identifier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ref}: {self.title[:60]}"

    @property
    def ref(self) -> str:
        """The identifier used in URLs."""
        return self.arxiv_id or f"dp-{self.local_key}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("papers:detail", kwargs={"ref": self.ref})

    @property
    def versioned_arxiv_id(self) -> str:
        if not self.arxiv_id:
            return ""
        return f"{self.arxiv_id}v{self.version}" if self.version else self.arxiv_id

    @property
    def arxiv_abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else ""

    @property
    def arxiv_pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.versioned_arxiv_id}" if self.arxiv_id else ""

    @property
    def local_comment_count(self) -> int:
        """Comments written on this site; comment_count also holds those counted
        at another source, for ranking."""
        return self.comment_count - self.comments_imported

    @property
    def huggingface_url(self) -> str:
        """The paper's page on Hugging Face, where imported comments were written."""
        return f"https://huggingface.co/papers/{self.arxiv_id}" if self.arxiv_id else ""

    @property
    def author_names(self) -> list[str]:
        return [author["name"] for author in self.authors]

    @property
    def author_total(self) -> int | None:
        return len(self.authors) if self.authors else self.authors_count

    @property
    def category_list(self) -> list[str]:
        return self.categories.split()

    @property
    def published_date(self):
        return self.published_at.date() if self.published_at else None


class Listing(models.Model):
    """A paper featured on a day of the feed (a paper can be featured on several)."""

    class Status(models.TextChoices):
        FEATURED = "featured", "Featured"
        # Announced on arXiv that day, waiting for a submission or a curator.
        CANDIDATE = "candidate", "Candidate"

    class Source(models.TextChoices):
        DAILY_PAPERS = "daily_papers", "Daily Papers import"
        SUBMISSION = "submission", "Submitted by a user"
        CURATOR = "curator", "Featured by a curator"
        ARXIV = "arxiv", "arXiv announcement"

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="listings")
    day = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.FEATURED)
    source = models.CharField(max_length=16, choices=Source.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    # The submitter's handle at an external source, when not a local account.
    submitter_name = models.CharField(max_length=150, blank=True)
    # Their full name there, when the source gives one.
    submitter_fullname = models.CharField(max_length=150, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    # Position in the source's own listing, to keep its order among equal votes.
    position = models.PositiveIntegerField(null=True, blank=True)
    is_pinned = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["paper", "day"], name="listing_one_per_paper_day")
        ]
        indexes = [
            models.Index(fields=["day", "status", "is_hidden"], name="listing_day_idx"),
            # The newest submission, on every feed page (selectors.feed_state).
            models.Index(fields=["submitted_at"], name="listing_submitted_idx"),
        ]
        permissions = [("feature_listing", "Can feature, unfeature, pin and hide papers on a day")]

    def __str__(self) -> str:
        return f"{self.day} {self.paper_id}"

    @property
    def submitter(self) -> str:
        if self.submitted_by_id:
            return self.submitted_by.username
        return self.submitter_name

    @property
    def submitter_full_name(self) -> str:
        if self.submitted_by_id:
            return self.submitted_by.display_name
        return self.submitter_fullname or self.submitter_name
