"""Existing PostgreSQL search columns get the storage and statistics new ones are
created with (rows already stored move into the row when next written, or at
once with VACUUM FULL papers_paper: docs/operations.md)."""

from django.db import migrations


def column_settings(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE papers_paper ALTER COLUMN search_tsv SET STORAGE MAIN")
        schema_editor.execute(
            "ALTER TABLE papers_paper ALTER COLUMN search_tsv SET STATISTICS 1000"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_fts_hash_size")]
    operations = [migrations.RunPython(column_settings, migrations.RunPython.noop)]
