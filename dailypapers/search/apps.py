from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "dailypapers.search"
    label = "search"

    def ready(self) -> None:
        from dailypapers.papers.bulk import register_bulk_insert_hook
        from dailypapers.search.backends.sqlite import bulk_indexing

        register_bulk_insert_hook(bulk_indexing)
