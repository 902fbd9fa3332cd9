"""Template filters for CLDR formatting (see core/languages.py) and for isolating left-to-right fragments."""

from django import template
from django.utils.html import format_html

from core import languages as cldr

register = template.Library()


@register.filter
def local_date(value, format="long"):
    return cldr.local_date(value, format=format)


@register.filter
def local_number(value):
    return cldr.local_number(value)


@register.filter
def local_percent(value):
    return cldr.local_percent(value)


@register.filter
def bdi(value):
    """Wrap a fragment whose direction may differ from the page's (a Latin name in Arabic text, a search query)
    so it cannot reorder the sentence around it."""
    return format_html("<bdi>{}</bdi>", value)


@register.simple_tag
def time_zone_label():
    return cldr.time_zone_label()


@register.filter
def language_name(code):
    """The name of language ``code`` in the reader's language, as CLDR writes it inside a sentence ("anglais")."""
    return cldr.language_name(code)
