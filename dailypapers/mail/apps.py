from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "dailypapers.mail"
    label = "mail"
    verbose_name = "Outgoing mail"
