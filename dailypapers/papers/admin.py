from django.contrib import admin

from dailypapers.core import page_version
from dailypapers.papers.models import Listing, Paper
from dailypapers.papers.trending import trending_refresh as _trending_refresh


def _paper_id(obj) -> int:
    return obj.paper_id if isinstance(obj, Listing) else obj.pk


def trending_refresh(*, paper_ids) -> None:
    """Edits made here change what trending and public pages show."""
    _trending_refresh(paper_ids=paper_ids)
    page_version.changed()


class TrendingUpkeep:
    """Edits made here change what trending depends on: refresh the key after each."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        trending_refresh(paper_ids=[_paper_id(obj)])

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        trending_refresh(paper_ids=[_paper_id(form.instance)])

    def delete_model(self, request, obj):
        paper_id = _paper_id(obj)
        super().delete_model(request, obj)
        trending_refresh(paper_ids=[paper_id])

    def delete_queryset(self, request, queryset):
        paper_ids = [_paper_id(obj) for obj in queryset]
        super().delete_queryset(request, queryset)
        trending_refresh(paper_ids=paper_ids)


class ListingInline(admin.TabularInline):
    model = Listing
    extra = 0
    fields = ("day", "status", "source", "submitter_name", "submitted_by", "is_pinned", "is_hidden")
    raw_id_fields = ("submitted_by",)


@admin.register(Paper)
class PaperAdmin(TrendingUpkeep, admin.ModelAdmin):
    list_display = (
        "ref",
        "title",
        "primary_category",
        "published_at",
        "upvote_count",
        "comment_count",
    )
    list_filter = ("metadata_source", "primary_category")
    search_fields = ("arxiv_id", "local_key", "title")
    date_hierarchy = "published_at"
    inlines = [ListingInline]
    readonly_fields = (
        "metadata_source",
        "metadata_observed_at",
        "counts_observed_at",
        "created_at",
        "modified_at",
        "trending_key",
    )


@admin.register(Listing)
class ListingAdmin(TrendingUpkeep, admin.ModelAdmin):
    list_display = ("day", "paper", "status", "source", "submitter", "is_pinned", "is_hidden")
    list_filter = ("status", "source", "is_pinned", "is_hidden", "day")
    search_fields = ("paper__arxiv_id", "paper__title", "submitter_name")
    list_select_related = ("paper", "submitted_by")
    raw_id_fields = ("paper", "submitted_by")
    date_hierarchy = "day"
    list_editable = ("is_pinned", "is_hidden")
