"""Site administrators may see and replay the pending search index updates (the admin's "Search index updates").

The group name is a literal: a migration is frozen history (``accounts.roles`` declares it for the code).
"""

from django.db import migrations

CODENAMES = ["view_pendingindexupdate", "change_pendingindexupdate"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Permissions are normally created after migrations; created here so that the grant does not depend on it.
    content_type, _ = ContentType.objects.get_or_create(app_label="search", model="pendingindexupdate")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
        )[0]
        for codename in CODENAMES
    ]
    administrators, _ = Group.objects.get_or_create(name="Site administrators")
    administrators.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_pending_index_updates"),
        ("home", "0003_case_study_review_and_site_administrators"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
