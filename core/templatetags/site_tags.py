"""Site chrome shared by every page: main navigation, language switcher, text direction."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page

from core.blocks import anchored_blocks
from core.languages import active_language

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """The sections of the active language's home page (one query), each with its URL."""
    request = context.get("request")
    language = active_language()
    sections = Page.objects.live().filter(depth=3, show_in_menus=True, locale__language_code=language).order_by("path")
    current = context.get("page")
    current_path = getattr(current, "path", "")
    return [
        {
            "title": section.title,
            "url": section.get_url(request),
            "active": bool(current_path) and current_path.startswith(section.path),
        }
        for section in sections
    ]


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language: the same page in that language where it exists, else that language's home."""
    request = context.get("request")
    page = context.get("page")
    current = active_language()
    translations = {}
    if isinstance(page, Page) and page.pk:
        for other in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[other.locale.language_code] = other.get_url(request)
    # Filters and page numbers use the same codes in every language, so the switcher keeps them.
    query = request.GET.urlencode() if request is not None and isinstance(page, Page) else ""
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code)
        if url is None and request is not None and not isinstance(page, Page):
            url = translate_url(request.get_full_path(), code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url or f"/{code}/",
                "switch_url": f"{url}?{query}" if url and query and code in translations else url or f"/{code}/",
                "exists": code in translations or not isinstance(page, Page),
                "current": code == current,
                "bidi": translation.get_language_info(code)["bidi"],
            }
        )
    return links


@register.filter
def anchored(stream):
    """A body's blocks with their anchors, for ``{% include_block block with anchor=anchor %}``: headings get the
    ids a table of contents links to."""
    return anchored_blocks(stream)
