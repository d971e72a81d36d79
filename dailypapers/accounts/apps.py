from django.apps import AppConfig
from django.db.models.signals import post_save


class AccountsConfig(AppConfig):
    name = "dailypapers.accounts"
    label = "accounts"
    # allauth's own section in the admin is called "Accounts" (email addresses).
    verbose_name = "Members"

    def ready(self) -> None:
        from dailypapers.accounts.signals import superuser_address_verified

        post_save.connect(superuser_address_verified, sender=self.get_model("User"))
