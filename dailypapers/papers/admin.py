from django.contrib import admin

from dailypapers.papers.models import Listing, Paper


class ListingInline(admin.TabularInline):
    model = Listing
    extra = 0
    fields = ("day", "status", "source", "submitter_name", "submitted_by", "is_pinned", "is_hidden")
    raw_id_fields = ("submitted_by",)


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
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
    )


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ("day", "paper", "status", "source", "submitter", "is_pinned", "is_hidden")
    list_filter = ("status", "source", "is_pinned", "is_hidden", "day")
    search_fields = ("paper__arxiv_id", "paper__title", "submitter_name")
    list_select_related = ("paper", "submitted_by")
    raw_id_fields = ("paper", "submitted_by")
    date_hierarchy = "day"
    list_editable = ("is_pinned", "is_hidden")
