"""One "Translators: <code>" group per translatable language: membership says which languages a translator
works in (see translations/languages.py). The groups carry no permissions of their own."""

from django.conf import settings
from django.db import migrations


def create_language_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            Group.objects.get_or_create(name=f"Translators: {code}")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("home", "0002_roles_and_moderation_workflow"),
    ]

    operations = [migrations.RunPython(create_language_groups, migrations.RunPython.noop)]
