"""The words the papers write hyphenated: a query asks for the other form too."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_spelling_words"),
    ]

    operations = [
        migrations.CreateModel(
            name="Compound",
            fields=[
                ("word", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("parts", models.CharField(max_length=200)),
                ("papers", models.PositiveIntegerField()),
            ],
        ),
    ]
