"""Admin tweaks shared by every editing form; the page cache's mark on each page served."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .page_cache import mark_cacheable


@hooks.register("insert_global_admin_js")
def character_counter():
    """A live character count under each text field with a limit (pages, snippets, settings alike)."""
    return format_html('<script src="{}" defer></script>', static("core/admin/character-count.js"))


@hooks.register("before_serve_page")
def page_cache_candidate(page, request, serve_args, serve_kwargs):
    """Only Wagtail's pages are kept by the anonymous page cache (core/page_cache.py), never a view's answer."""
    mark_cacheable(request)
