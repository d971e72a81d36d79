"""The Curators and Moderators groups (community.roles; repeated here because
a migration must not change when the code does)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Curators": ("papers", "feature_listing"),
    "Moderators": ("community", "moderate_comment"),
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups
    # need them now.
    for label in ("papers", "community"):
        config = apps.get_app_config(label)
        # The migration state's app stub has no models module; the function
        # only checks that one exists.
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, (app_label, codename) in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
