"""Workflow and task names in the admin's language.

Wagtail keeps each workflow's and task's name in the database (ours are created in English by migrations) and shows
it as stored in dozens of templates and messages ("Submit to Case study review"). Every loaded name becomes a
``TranslatedName``: the stored string for the database, JSON and comparisons, so nothing saved changes, but
rendered through gettext in the reader's language wherever Wagtail turns it into text (templates, ``%`` and
``format``). A name without a catalogue entry (one an administrator typed) shows as typed.
"""

from django.db.models.signals import post_init, pre_save
from django.utils.translation import gettext, gettext_noop
from wagtail.models import Task, Workflow
from wagtail.workflows import get_task_types

# The names our migrations create (home/migrations/0002 and 0003), so that makemessages keeps their entries.
MIGRATED_NAMES = [
    gettext_noop("Moderators approval"),
    gettext_noop("Case study review"),
    gettext_noop("Human-rights safeguards review"),
]


class TranslatedName(str):
    def __str__(self):
        return gettext(str.__str__(self))


def translate_name(sender, instance, **kwargs):
    if isinstance(instance.__dict__.get("name"), str):
        instance.name = TranslatedName(instance.name)
        instance._stored_name = str.__str__(instance.name)


def keep_stored_name(sender, instance, **kwargs):
    """A form shows the translated name; saved unchanged, the stored (catalogue) name stays."""
    stored = getattr(instance, "_stored_name", None)
    if stored and str(instance.name) == gettext(stored):
        instance.name = stored


def connect():
    for model in {Workflow, Task, *get_task_types()}:
        post_init.connect(translate_name, sender=model, dispatch_uid=f"translated-name-{model._meta.label}")
        pre_save.connect(keep_stored_name, sender=model, dispatch_uid=f"stored-name-{model._meta.label}")
