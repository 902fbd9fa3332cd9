"""Programme staff make a case study draft from a completed exchange without being Editors: the "Programme staff"
group gets "add" — and nothing else — on each practice listing that exists (``exchange.models`` grants it on each
listing made later). With "add" alone Wagtail lets them edit the drafts they own and submit them for moderation,
never publish: the draft goes through the "Case study review" workflow (safeguards, then moderators).

Frozen literals: the group's name, the permission and the listing's content type are those of this day, whatever
``accounts/roles.py`` or the models say later.
"""

from django.db import migrations

GROUP = "Programme staff"
LISTING = ("handbook", "casestudyindexpage")
PERMISSION = ("wagtailcore", "page", "add_page")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    listing_type = ContentType.objects.filter(app_label=LISTING[0], model=LISTING[1]).first()
    if listing_type is None:
        return  # a fresh database: no listing yet
    group, _ = Group.objects.get_or_create(name=GROUP)
    page_type, _ = ContentType.objects.get_or_create(app_label=PERMISSION[0], model=PERMISSION[1])
    add, _ = Permission.objects.get_or_create(
        content_type=page_type, codename=PERMISSION[2], defaults={"name": "Can add page"}
    )
    for listing in Page.objects.filter(content_type=listing_type):
        GroupPagePermission.objects.get_or_create(group=group, page=listing, permission=add)


def revoke(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(
        group__name=GROUP,
        permission__codename=PERMISSION[2],
        page__content_type__app_label=LISTING[0],
        page__content_type__model=LISTING[1],
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0002_programme_staff_brokers_requests"),
        ("handbook", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
