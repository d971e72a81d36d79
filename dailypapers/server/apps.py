from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "dailypapers.server"
    label = "server"
