from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ServerConfig(AppConfig):
    name = "dailypapers.server"
    label = "server"

    def ready(self) -> None:
        # Sent once per migrate for this app (Django sends it to apps with models).
        post_migrate.connect(_deployed, sender=self)


def _deployed(sender, using: str = "default", **kwargs) -> None:
    """Every deploy migrates (and `dailypapers run` at every start): the cache
    tables exist from then on, and since new code or settings may render
    pages otherwise, no page cached before is served (pages/page_cache.py)."""
    from django.core.management import call_command

    from dailypapers.core import page_version

    call_command("createcachetable", database=using, verbosity=0)
    page_version.changed()
