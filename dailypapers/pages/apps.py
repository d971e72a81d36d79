from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "dailypapers.pages"
    label = "pages"
