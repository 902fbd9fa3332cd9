"""Create the editorial roles and put the whole page tree under the moderation workflow.

Editors draft and submit; Moderators approve and publish; Translators translate. Wagtail's own migrations create
"Editors", "Moderators" and the "Moderators approval" workflow on a fresh database; this migration makes the
permissions exactly what the roles need (whatever was there before) and assigns the workflow to the root page,
so every page in every language goes through moderation.
"""

from django.db import migrations

PAGE_PERMISSIONS = {
    "Editors": ["add_page", "change_page"],
    "Moderators": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    "Translators": ["change_page"],
}
MODEL_PERMISSIONS = {
    "Editors": [
        ("wagtailadmin", "admin", "access_admin"),
        ("handbook", "expert", "add_expert"),
        ("handbook", "expert", "change_expert"),
        ("handbook", "centreofexcellence", "add_centreofexcellence"),
        ("handbook", "centreofexcellence", "change_centreofexcellence"),
        ("wagtail_localize", "translation", "submit_translation"),
    ],
    "Moderators": [
        ("wagtailadmin", "admin", "access_admin"),
        ("handbook", "term", "add_term"),
        ("handbook", "term", "change_term"),
        ("handbook", "expert", "add_expert"),
        ("handbook", "expert", "change_expert"),
        ("handbook", "expert", "delete_expert"),
        ("handbook", "centreofexcellence", "add_centreofexcellence"),
        ("handbook", "centreofexcellence", "change_centreofexcellence"),
        ("handbook", "centreofexcellence", "delete_centreofexcellence"),
        ("handbook", "country", "add_country"),
        ("handbook", "country", "change_country"),
        ("wagtail_localize", "translation", "submit_translation"),
    ],
    "Translators": [
        ("wagtailadmin", "admin", "access_admin"),
        ("handbook", "term", "change_term"),
        ("handbook", "expert", "change_expert"),
        ("handbook", "centreofexcellence", "change_centreofexcellence"),
        ("wagtail_localize", "translation", "submit_translation"),
    ],
}


def permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
    )
    return perm


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    root = Page.objects.filter(depth=1).order_by("path").first()
    groups = {}
    for name, codenames in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        if root is not None:
            GroupPagePermission.objects.filter(group=group).delete()
            for codename in codenames:
                GroupPagePermission.objects.create(
                    group=group, page=root, permission=permission(apps, "wagtailcore", "page", codename)
                )
    for name, perms in MODEL_PERMISSIONS.items():
        groups[name].permissions.add(*[permission(apps, *spec) for spec in perms])

    task_content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name="Moderators approval").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Moderators approval", content_type=task_content_type, active=True)
    task.groups.set([groups["Moderators"]])
    workflow_content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="workflow")
    workflow, _ = Workflow.objects.get_or_create(name="Moderators approval", defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow, task=Task.objects.get(pk=task.pk)).exists():
        WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=0)
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("handbook", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
