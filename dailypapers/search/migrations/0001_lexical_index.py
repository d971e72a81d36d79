"""The full-text index of the database in use (FTS5 on SQLite, tsvector on PostgreSQL)."""

from django.db import migrations


def install(apps, schema_editor):
    from dailypapers.search.backends import lexical_backend

    lexical_backend(schema_editor.connection).install(schema_editor)


def uninstall(apps, schema_editor):
    from dailypapers.search.backends import lexical_backend

    lexical_backend(schema_editor.connection).uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("papers", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
