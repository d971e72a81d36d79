"""Vectors record the tokens their paper was read to. Those stored before were
all read to 128, under the model's old name ("...-128"): they keep their
vectors under the new name, and the worker reads them again whole."""

from django.db import migrations, models

OLD_NAME = "all-MiniLM-L6-v2-int8-dynamic-onnx-128"
NEW_NAME = "all-MiniLM-L6-v2-int8-dynamic-onnx"


def rename(apps, schema_editor):
    apps.get_model("search", "Embedding").objects.filter(model=OLD_NAME).update(model=NEW_NAME)


def rename_back(apps, schema_editor):
    apps.get_model("search", "Embedding").objects.filter(model=NEW_NAME).update(model=OLD_NAME)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgres_search_column")]
    operations = [
        migrations.AddField(
            model_name="embedding",
            name="window",
            field=models.PositiveSmallIntegerField(default=128),
            preserve_default=False,
        ),
        migrations.RunPython(rename, rename_back),
    ]
