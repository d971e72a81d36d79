from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "dailypapers.syndication"
    label = "syndication_feeds"
    verbose_name = "Feeds and citations"
