"""Existing SQLite indexes get the hash size new ones are created with."""

from django.db import migrations


def hash_size(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', 33554432)"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_initial")]
    operations = [migrations.RunPython(hash_size, migrations.RunPython.noop)]
