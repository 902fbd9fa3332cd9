"""Site chrome shared by every page: main navigation, language switcher, text direction."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, translate_url
from django.utils import translation
from django.utils.html import format_html
from wagtail.models import Page

from core import sites
from core.blocks import anchored_blocks
from core.fallback import fallback_for, live_versions, menu_sections, text_direction
from core.languages import active_language

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """Every section of the home page, in the original's order: its live translation in the reader's language
    where there is one, else the original under the reader's prefix (shown with the fallback notice). One query:
    the default language's sections, read with the reader's, give the originals' order."""
    request = context.get("request")
    language = active_language()
    current = context.get("page")
    rows = menu_sections(request, current if isinstance(current, Page) and current.pk else None)
    originals = [row.translation_key for row in rows if row.locale.language_code == settings.LANGUAGE_CODE]
    position = {key: index for index, key in enumerate(originals)}
    chosen = {}
    for section in rows:
        if not (section.live and section.show_in_menus):
            continue
        if section.translation_key not in chosen or section.locale.language_code == language:
            chosen[section.translation_key] = section
    current_path = getattr(current, "path", "")
    links = []
    for section in sorted(chosen.values(), key=lambda page: position.get(page.translation_key, len(position))):
        url = section.chrome_url
        if section.locale.language_code != language:
            # translate_url resolves the path in the active language, so resolve it in the section's own.
            with translation.override(section.locale.language_code):
                url = translate_url(url, language)
        links.append(
            {
                "title": section.title,
                "url": url,
                "lang": section.locale.language_code if section.locale.language_code != language else "",
                "dir": text_direction(section.locale.language_code),
                "active": bool(current_path) and current_path.startswith(section.path),
            }
        )
    return links


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language: the same page in that language where it exists, else the same address under that
    language's prefix, which shows the original with a notice (``exists`` is False: the switcher marks it)."""
    request = context.get("request")
    page = context.get("page")
    current = active_language()
    translations = {}
    if isinstance(page, Page) and page.pk:
        for other in live_versions(page, request):
            translations[other.locale.language_code] = other.chrome_url
    # Filters and page numbers use the same codes in every language, so the switcher keeps them.
    query = request.GET.urlencode() if request is not None and isinstance(page, Page) else ""
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code)
        if url is None and request is not None:
            url = translate_url(request.path if isinstance(page, Page) else request.get_full_path(), code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url or f"/{code}/",
                "switch_url": f"{url}?{query}" if url and query else url or f"/{code}/",
                "exists": code in translations or not isinstance(page, Page),
                "current": code == current,
                "bidi": translation.get_language_info(code)["bidi"],
            }
        )
    return links


# Addresses of the pages a page links to: {(tree version, site, language, URL path): URL}; bounded like the routing
# hints (core/routing.py).
MAX_URLS = 10_000
_urls = {}


@register.simple_tag(takes_context=True)
def page_link(context, page):
    """``{% pageurl page %}`` for the pages a page lists (practices, chapters, news), kept per version of the sites
    and the page tree (``core/sites.py``), site and language: Wagtail builds a page's address from its URL path, the
    sites' root paths and the request's site, and the version changes with any of them (a page's new slug is a new
    URL path)."""
    request = context.get("request")
    key = (translation.get_language(), page.url_path)
    return sites.kept(request, _urls, MAX_URLS, key, lambda: page.get_url(request))


# Fragments rendered once per process, language and script prefix: {(template name, language, prefix): HTML}.
_fixed = {}


@register.simple_tag
def fixed_fragment(template_name):
    """``template_name`` rendered without a context: for fragments of the interface's own words, addresses and
    static files (the footer, the icons), which change only with the code. Rendered once per process, language and
    script prefix (what ``translate`` and ``url`` depend on); a variable it used would be empty, so it uses none."""
    key = (template_name, translation.get_language(), get_script_prefix())
    html = _fixed.get(key)
    if html is None:
        html = _fixed[key] = render_to_string(template_name)
    return html


@register.filter
def anchored(stream):
    """A body's blocks with their anchors, for ``{% include_block block with anchor=anchor %}``: headings get the
    ids a table of contents links to."""
    return anchored_blocks(stream)


@register.simple_tag(takes_context=True)
def content_fallback(context):
    """The original's language, direction and live versions when the page is not in the reader's language."""
    return fallback_for(context.get("page"), context.get("request"))


@register.filter
def lang_if_foreign(page):
    """``lang`` and ``dir`` attributes for an item of a listing shown in its original language, else nothing."""
    language = page.locale.language_code
    if language == active_language():
        return ""
    return format_html(' lang="{}" dir="{}"', language, text_direction(language))
