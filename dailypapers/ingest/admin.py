from django.contrib import admin

from dailypapers.ingest.models import HarvestState, ImportCheckpoint


@admin.register(HarvestState)
class HarvestStateAdmin(admin.ModelAdmin):
    list_display = (
        "metadata_prefix",
        "set_spec",
        "from_date",
        "until_date",
        "pages",
        "records",
        "completed_at",
        "last_error",
    )
    list_filter = ("metadata_prefix", "set_spec")


@admin.register(ImportCheckpoint)
class ImportCheckpointAdmin(admin.ModelAdmin):
    list_display = ("kind", "source", "lines_done", "bad_lines", "updated_at", "completed_at")
