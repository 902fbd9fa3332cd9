"""The "Programme staff" group (declared in ``accounts/roles.py``; a migration keeps its own literal) brokers
exchange requests: admin access, and view, change and delete on requests. Requests are never added in the admin.

The group may also be created by another app's migration (the experts and centres directories): both get it by
name, so whichever runs first creates it and the other adds its permissions.
"""

from django.db import migrations

GROUP = "Programme staff"
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("exchange", "exchangerequest", "view_exchangerequest"),
    ("exchange", "exchangerequest", "change_exchangerequest"),
    ("exchange", "exchangerequest", "delete_exchangerequest"),
]


def permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
    )
    return perm


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*(permission(apps, *spec) for spec in PERMISSIONS))


def remove(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="exchange"))


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0001_exchange_requests"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, remove)]
