"""What a member keeps for themselves: saved papers, notes, read marks,
papers they are not interested in, what they follow, and the ranking learned
from all of it ("For you")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from dailypapers.papers.models import Paper


class Entry(models.Model):
    """One member's own state of one paper. A row exists once any of it is
    set; the times say when, and null means not (not saved, not read)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library"
    )
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # "Not interested": a negative signal for "For you", and the paper leaves it.
    dismissed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    # Where a saved paper came from: "" (saved here), "bibtex", "csl", "ids", "export".
    imported_from = models.CharField(max_length=16, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "paper"], name="entry_one_per_user_paper")
        ]
        indexes = [models.Index(fields=["user", "-saved_at"], name="entry_user_saved_idx")]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"{self.user_id} · {self.paper_id}"


class Follow(models.Model):
    """An author, a category or a saved search a member follows, or a word
    they never want to see (a negative keyword)."""

    class Kind(models.TextChoices):
        AUTHOR = "author", "Author"
        CATEGORY = "category", "Category"
        SEARCH = "search", "Saved search"
        MUTED = "muted", "Negative keyword"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # A name as written ("Yann LeCun"), a category ("cs.LG"), a query, a word.
    value = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "value"], name="follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}:{self.value}"


class Taste(models.Model):
    """A member's "For you" model: a linear function of a paper's embedding
    (library/recommend.py), trained by the worker after their signals change."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="taste"
    )
    # The embedding model the weights belong to: another model's are retrained.
    model = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=16, blank=True)  # "linear", "centroid" or "" (none yet)
    weights = models.BinaryField(blank=True, default=b"")  # float32, the embedding's dimension
    positives = models.PositiveIntegerField(default=0)
    negatives = models.PositiveIntegerField(default=0)
    # Signals changed at ``changed_at``; the weights are of ``trained_at``.
    changed_at = models.DateTimeField(default=timezone.now)
    trained_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind or 'untrained'}"


class PendingImport(models.Model):
    """A paper an import named by arXiv id that is not stored yet: the worker
    fetches it from arXiv and saves it to the member's library (library.jobs)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    arxiv_id = models.CharField(max_length=32)
    imported_from = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "arxiv_id"], name="pending_import_once")
        ]

    def __str__(self) -> str:
        return f"{self.arxiv_id} for {self.user_id}"


class Collection(models.Model):
    """A named list of papers a member keeps, private or public (with a page,
    RSS and Atom feeds, BibTeX and RIS)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections"
    )
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    public = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "slug"], name="collection_slug_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.slug}"


class CollectionPaper(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "paper"], name="collection_paper_once")
        ]
