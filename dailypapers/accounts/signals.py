"""The operator's own account counts as verified.

Sign-in requires a verified email (ACCOUNT_EMAIL_VERIFICATION), and
``dailypapers createsuperuser`` sends no verification mail: its address is
the operator's own, so a superuser created with an address gets it verified.
"""

from __future__ import annotations


def superuser_address_verified(sender, instance, created: bool, **kwargs) -> None:
    if not (created and instance.is_superuser and instance.email):
        return
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=instance, email=instance.email, defaults={"verified": True, "primary": True}
    )
