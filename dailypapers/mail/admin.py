from django.contrib import admin

from dailypapers.mail.models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "subject", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status",)
    search_fields = ("subject", "recipients", "last_error")
    exclude = ("message",)
    readonly_fields = [f.name for f in OutgoingMail._meta.fields if f.name != "message"]
