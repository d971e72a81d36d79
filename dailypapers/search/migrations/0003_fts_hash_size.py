"""Existing SQLite indexes get the hash size new ones are created with."""

from django.db import migrations


def hash_size(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from dailypapers.search.backends.sqlite import HASH_SIZE

        schema_editor.execute(HASH_SIZE)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_initial")]
    operations = [migrations.RunPython(hash_size, migrations.RunPython.noop)]
