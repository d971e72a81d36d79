from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class CommunityConfig(AppConfig):
    name = "dailypapers.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from dailypapers.community.roles import role_changed

        user = get_user_model()
        for through in (user.groups.through, user.user_permissions.through):
            m2m_changed.connect(role_changed, sender=through, dispatch_uid=f"roles-{through}")
        m2m_changed.connect(role_changed, sender=Group.permissions.through, dispatch_uid="roles-g")
        post_save.connect(role_changed, sender=user, dispatch_uid="roles-user")
        post_delete.connect(role_changed, sender=Group, dispatch_uid="roles-group")
