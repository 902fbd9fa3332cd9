"""Head tags for search engines and social networks (core/seo.py), and the links to the Atom feeds."""

from django import template

from core import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def page_metadata(context):
    """Description, canonical URL, translations, Open Graph and schema.org data of the page being shown."""
    request = context.get("request")
    page = context.get("page")
    if request is None:
        return {"description": ""}
    return seo.page_metadata(page, request)
