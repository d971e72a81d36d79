from django.apps import AppConfig
from django.db import DatabaseError, transaction
from django.db.models.signals import post_migrate


class PagesConfig(AppConfig):
    name = "dailypapers.pages"
    label = "pages"

    def ready(self) -> None:
        post_migrate.connect(_deployed, sender=self)


def _deployed(sender, using: str = "default", **kwargs) -> None:
    """Every deploy migrates (and `dailypapers run` at every start): new code or
    settings may render pages otherwise, so none cached before is served."""
    from dailypapers.core import page_version

    try:
        with transaction.atomic(using=using):
            page_version.changed()
    except DatabaseError:
        pass  # no cache table yet (`createcachetable` follows): nothing cached either
