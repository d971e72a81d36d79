from django.contrib import admin

from dailypapers.server.models import JobState


@admin.register(JobState)
class JobStateAdmin(admin.ModelAdmin):
    list_display = ("name", "last_success_at", "last_started_at", "runs", "failures", "last_error")
    readonly_fields = [f.name for f in JobState._meta.fields]
