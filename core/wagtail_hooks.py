"""Admin tweaks shared by every editing form."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def character_counter():
    """A live character count under each text field with a limit (pages, snippets, settings alike)."""
    return format_html('<script src="{}" defer></script>', static("core/admin/character-count.js"))
