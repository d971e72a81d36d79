"""The words the papers hold and how many papers hold each: spelling suggestions."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_embedding_window"),
    ]

    operations = [
        migrations.CreateModel(
            name="Word",
            fields=[
                ("word", models.CharField(max_length=32, primary_key=True, serialize=False)),
                ("papers", models.PositiveIntegerField()),
                ("name", models.BooleanField(default=False)),
            ],
        ),
    ]
