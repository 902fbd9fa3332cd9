"""The translation editor's additions: what changed since the last sync, and the editor's own actions and links."""

import json

from django import template

from core import languages

from .. import moderation
from ..moderation import translation_title
from ..sync_changes import changed_strings

register = template.Library()


@register.simple_tag
def changed_since_last_sync(translation):
    return changed_strings(translation)


@register.filter
def editor_props(props):
    """wagtail-localize's props for its React editor (JSON), read back for the footer we render instead."""
    return json.loads(props)


@register.simple_tag
def translation_editor_title(translation):
    return translation_title(translation.source.as_instance(), translation.target_locale.language_code)


@register.filter
def language_name(code):
    """A language's name in the admin's language ("Arabic" in an English admin, "العربية" in an Arabic one)."""
    return languages.language_name(code)


@register.filter
def moderation_url(instance):
    """Where the footer's "Submit translation for moderation" posts, or None when ``instance`` has no workflow."""
    return moderation.submit_url(instance)
