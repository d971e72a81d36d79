"""Subscribers and the outbox in the admin, with a preview of any subscription's next digest."""

from django.contrib import admin
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from dailypapers.digests.models import Delivery, Subscription, Suppression
from dailypapers.digests.render import preview_context


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "status", "cadence", "time_zone", "top_n", "user", "confirmed_at",
                    "preview_link")  # fmt: skip
    list_filter = ("status", "cadence", "time_zone")
    search_fields = ("email", "user__username", "categories", "include_keywords")
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "confirmed_at", "unsubscribed_at", "generation")

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<int:pk>/preview/", preview, name="digests_subscription_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk: int):
        sub = get_object_or_404(Subscription, pk=pk)
        return render(request, "digests/preview.html", preview_context(sub, now=timezone.now()))

    @admin.display(description="preview")
    def preview_link(self, sub):
        url = reverse("admin:digests_subscription_preview", args=[sub.pk])
        return format_html('<a href="{}">preview</a>', url)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("subscription", "period_start", "period_end", "status", "attempts", "papers",
                    "sent_at", "last_error")  # fmt: skip
    list_filter = ("status", "period_start")
    search_fields = ("subscription__email", "message_id", "last_error")
    list_select_related = ("subscription",)
    raw_id_fields = ("subscription",)
    date_hierarchy = "period_start"


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ("email", "reason", "created_at")
    search_fields = ("email", "reason")
