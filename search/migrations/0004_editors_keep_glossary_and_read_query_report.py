"""Editors, moderators and site administrators keep the search glossary and read the search query report.

The group names are literals: a migration is frozen history (``accounts.roles`` declares them for the code).
"""

from django.db import migrations

GLOSSARY = ["add_glossaryentry", "change_glossaryentry", "delete_glossaryentry", "view_glossaryentry"]
GRANTS = {
    "Editors": [("glossaryentry", GLOSSARY), ("searchquerycount", ["view_searchquerycount"])],
    "Moderators": [("glossaryentry", GLOSSARY), ("searchquerycount", ["view_searchquerycount"])],
    "Site administrators": [("glossaryentry", GLOSSARY), ("searchquerycount", ["view_searchquerycount"])],
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for name, specs in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for model, codenames in specs:
            # Permissions are normally created after migrations; created here so that the grant does not depend on it.
            content_type, _ = ContentType.objects.get_or_create(app_label="search", model=model)
            for codename in codenames:
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=codename,
                    defaults={"name": codename.replace("_", " ").capitalize()},
                )
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_glossary_and_query_counts")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
