"""Moderation in the admin: the report queue, comments with hide/restore
actions (through the same service as the site, so counts stay exact), votes."""

from django.contrib import admin, messages
from django.db.models import Count, Q

from dailypapers.community import services
from dailypapers.community.models import Comment, CommentReport, Vote


class ReportInline(admin.TabularInline):
    model = CommentReport
    extra = 0
    fields = ("reporter", "reason", "created_at", "resolved_at")
    readonly_fields = fields
    can_delete = False


class OpenReportsFilter(admin.SimpleListFilter):
    title = "reports"
    parameter_name = "reports"

    def lookups(self, request, model_admin):
        return [("open", "With open reports"), ("any", "Ever reported")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(reports__resolved_at__isnull=True).distinct()
        if self.value() == "any":
            return queryset.filter(reports__isnull=False).distinct()
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("pk", "author", "paper", "excerpt", "created_at", "open_reports",
                    "is_hidden", "is_deleted")  # fmt: skip
    list_filter = (OpenReportsFilter, "is_hidden", "is_deleted", "created_at")
    search_fields = ("body", "author__username", "author__email", "paper__arxiv_id", "paper__title")
    list_select_related = ("author", "paper")
    raw_id_fields = ("paper", "author", "parent", "hidden_by")
    readonly_fields = ("body_html", "created_at", "edited_at", "hidden_by", "hidden_at")
    date_hierarchy = "created_at"
    inlines = [ReportInline]
    actions = ["hide", "restore"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_open=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        )

    @admin.display(description="comment")
    def excerpt(self, comment):
        return comment.body[:80]

    @admin.display(description="open reports", ordering="_open")
    def open_reports(self, comment):
        return comment._open

    def _moderate(self, request, queryset, hidden: bool):
        for comment in queryset:
            services.comment_moderate(moderator=request.user, comment_id=comment.pk, hidden=hidden)
        self.message_user(
            request,
            f"{queryset.count()} comment(s) {'hidden' if hidden else 'restored'}.",
            messages.SUCCESS,
        )

    @admin.action(description="Hide the selected comments", permissions=["moderate"])
    def hide(self, request, queryset):
        self._moderate(request, queryset, True)

    @admin.action(description="Restore the selected comments", permissions=["moderate"])
    def restore(self, request, queryset):
        self._moderate(request, queryset, False)

    def has_moderate_permission(self, request):
        return request.user.has_perm("community.moderate_comment")


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    list_display = ("comment", "reporter", "reason", "created_at", "resolved_at")
    list_filter = (("resolved_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("reason", "reporter__username", "comment__body")
    list_select_related = ("comment", "reporter")
    raw_id_fields = ("comment", "reporter")


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ("user", "paper", "created_at")
    search_fields = ("user__username", "paper__arxiv_id", "paper__title")
    list_select_related = ("user", "paper")
    raw_id_fields = ("user", "paper")
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        # Counts are recounted by the vote service; editing a vote row here would bypass it.
        return False
