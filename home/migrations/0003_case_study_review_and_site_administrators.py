"""The human-rights safeguards review for case studies, and two more roles.

- "Reviewers" confirm the safeguards checklist; the task itself gives them access to the page under review, so
  they need no page permissions of their own.
- "Site administrators" run the site without being superusers: every page action, media, snippets, settings and
  user accounts.
- The "Case study review" workflow is the safeguards review followed by the existing "Moderators approval" task.
  ``CaseStudyPage.get_workflow`` picks it for every case study in every language, so it needs no page assignment
  (the demo pages are created after migrations run).
"""

from django.db import migrations

SITE_ADMIN_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"]
SITE_ADMIN_MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("auth", "user", "add_user"),
    ("auth", "user", "change_user"),
    ("auth", "user", "delete_user"),
    ("auth", "group", "add_group"),
    ("auth", "group", "change_group"),
    ("handbook", "term", "add_term"),
    ("handbook", "term", "change_term"),
    ("handbook", "term", "delete_term"),
    ("handbook", "expert", "add_expert"),
    ("handbook", "expert", "change_expert"),
    ("handbook", "expert", "delete_expert"),
    ("handbook", "centreofexcellence", "add_centreofexcellence"),
    ("handbook", "centreofexcellence", "change_centreofexcellence"),
    ("handbook", "centreofexcellence", "delete_centreofexcellence"),
    ("handbook", "country", "add_country"),
    ("handbook", "country", "change_country"),
    ("handbook", "country", "delete_country"),
    ("wagtail_localize", "translation", "submit_translation"),
    ("wagtailcore", "workflow", "add_workflow"),
    ("wagtailcore", "workflow", "change_workflow"),
    ("wagtailcore", "task", "add_task"),
    ("wagtailcore", "task", "change_task"),
    ("wagtailredirects", "redirect", "add_redirect"),
    ("wagtailredirects", "redirect", "change_redirect"),
    ("wagtailredirects", "redirect", "delete_redirect"),
]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "change_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "change_document"),
    ("wagtaildocs", "document", "choose_document"),
]


def permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ").capitalize()}
    )
    return perm


def create_review_and_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    SafeguardsReviewTask = apps.get_model("handbook", "SafeguardsReviewTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    reviewers, _ = Group.objects.get_or_create(name="Reviewers")
    reviewers.permissions.add(permission(apps, "wagtailadmin", "admin", "access_admin"))

    administrators, _ = Group.objects.get_or_create(name="Site administrators")
    administrators.permissions.add(*[permission(apps, *spec) for spec in SITE_ADMIN_MODEL_PERMISSIONS])
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        for codename in SITE_ADMIN_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=administrators, page=root, permission=permission(apps, "wagtailcore", "page", codename)
            )
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    if root_collection is not None:
        for spec in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=administrators, collection=root_collection, permission=permission(apps, *spec)
            )

    task_content_type, _ = ContentType.objects.get_or_create(app_label="handbook", model="safeguardsreviewtask")
    review = SafeguardsReviewTask.objects.filter(name="Human-rights safeguards review").first()
    if review is None:
        review = SafeguardsReviewTask.objects.create(
            name="Human-rights safeguards review", content_type=task_content_type, active=True
        )
    review.groups.set([reviewers])
    moderators_approval = GroupApprovalTask.objects.get(name="Moderators approval")

    workflow, _ = Workflow.objects.get_or_create(name="Case study review", defaults={"active": True})
    for order, task_id in enumerate([review.pk, moderators_approval.pk]):
        WorkflowTask.objects.update_or_create(workflow=workflow, task_id=task_id, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_roles_and_moderation_workflow"),
        ("handbook", "0002_safeguards_review_task"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(create_review_and_roles, migrations.RunPython.noop)]
