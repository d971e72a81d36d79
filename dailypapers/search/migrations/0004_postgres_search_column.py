"""Existing PostgreSQL search columns get the storage and statistics new ones are
created with (rows already stored move into the row when next written, or at
once with VACUUM FULL papers_paper: docs/operations.md)."""

from django.db import migrations


def column_settings(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from dailypapers.search.backends.postgres import COLUMN_SETTINGS

        for statement in COLUMN_SETTINGS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_fts_hash_size")]
    operations = [migrations.RunPython(column_settings, migrations.RunPython.noop)]
