"""Reference data (taxonomy terms, experts, centres) goes through moderation like pages.

Those snippets now have drafts and revisions (``handbook`` 0007): this puts them under the "Moderators approval"
workflow and gives the roles that publish pages the matching snippet permissions (publish, lock, unlock).
Editors and Translators keep "change": they save drafts and submit them; Moderators approve, which publishes.
"""

from django.db import migrations

MODELS = ["term", "expert", "centreofexcellence"]
PUBLISHING_ROLES = ["Moderators", "Site administrators"]


def permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
    )
    return perm


def moderate_reference_data(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    perms = [
        permission(apps, "handbook", model, f"{action}_{model}")
        for model in MODELS
        for action in ("publish", "lock", "unlock")
    ]
    for name in PUBLISHING_ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)
    workflow = Workflow.objects.filter(name="Moderators approval").first()
    if workflow is None:
        return
    for model in MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="handbook", model=model)
        WorkflowContentType.objects.update_or_create(content_type=content_type, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_image_block_with_alt_text_from_description"),
        ("handbook", "0007_reference_data_drafts_revisions_and_moderation"),
    ]

    operations = [migrations.RunPython(moderate_reference_data, migrations.RunPython.noop)]
