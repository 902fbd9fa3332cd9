"""The "Programme staff" group (declared in ``accounts/roles.py``; a migration keeps its own literal) decides
membership requests: admin access, and view and change on requests. The "Registered members" group is made here too
if no earlier migration made it, since approval puts people in it.

Other apps' migrations may create the same groups: all get them by name, so whichever runs first creates them."""

from django.db import migrations

STAFF = "Programme staff"
MEMBERS = "Registered members"
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("accounts", "membershiprequest", "view_membershiprequest"),
    ("accounts", "membershiprequest", "change_membershiprequest"),
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
    Group.objects.get_or_create(name=MEMBERS)
    group, _ = Group.objects.get_or_create(name=STAFF)
    group.permissions.add(*(permission(apps, *spec) for spec in PERMISSIONS))


def remove(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=STAFF).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="accounts"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_membership_requests"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, remove)]
