from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """A site account.

    A custom user model from the first migration, because swapping it later
    is a data migration nobody wants. Email is unique case-insensitively so
    that sign-in, password reset and digest subscriptions can key on it.
    """

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_ci_unique",
            )
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
