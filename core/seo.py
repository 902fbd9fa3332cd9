"""What search engines and social networks read about a page: its description, canonical and translated URLs,
Open Graph locale, social image and schema.org data.

Absolute URLs are built from the request (its host is one of ``ALLOWED_HOSTS``), the same way in the head, the
sitemap and the feeds (``absolute_url``), so they work on a developer's ``127.0.0.1:8000`` as on the public host.
"""

import json

from babel.core import get_global
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from wagtail.images.models import Filter
from wagtail.models import Page, Site

from core.fallback import live_versions

DESCRIPTION_LENGTH = 300  # characters; search engines cut snippets shorter, social cards show about this much
DESCRIPTION_FIELDS = ("summary", "intro")  # what a page without a search description is described by
SOCIAL_IMAGE_SPEC = "fill-1200x630"  # the size Open Graph and Twitter cards display without cropping
# Made once: a Filter works out its operations (through ``inspect``) when first used (core/templatetags/pictures.py).
SOCIAL_IMAGE_FILTER = Filter(spec=SOCIAL_IMAGE_SPEC)
# JSON inside <script> must not be able to close the element or open a comment; as Django's json_script does.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def meta_description(page):
    """The editor's search description, else the page's summary or introduction as plain text, else what the
    site is about (so that no page goes without a description)."""
    text = getattr(page, "search_description", "") or ""
    for name in DESCRIPTION_FIELDS:
        if text:
            break
        text = str(getattr(page, name, "") or "")
    text = " ".join(strip_tags(text).split())
    if not text:
        text = gettext("Good practices from the Global South on countering terrorism and preventing violent extremism")
    return Truncator(text).chars(DESCRIPTION_LENGTH)


def document_title(page):
    """The page's own title as a card or a result shows it (without the site name)."""
    return getattr(page, "seo_title", "") or getattr(page, "title", "")


def site_name():
    return gettext("South–South Exchange")


def language_order():
    """The content languages in the order settings declare them."""
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def site_language_trees(request):
    """A filter for the pages of the request's site in every language: the trees of its root page's translations
    (Wagtail's own sitemap and queries see the default language's tree only)."""
    site = Site.find_for_request(request) or Site.objects.select_related("root_page").get(is_default_site=True)
    trees = Q()
    for root in site.root_page.get_translations(inclusive=True):
        trees |= Q(path__startswith=root.path)
    return trees


def absolute_url(request, page):
    """The page's full URL as the reader reached the site (``get_url`` is already absolute for another site)."""
    return request.build_absolute_uri(page.get_url(request))


def live_translations(page, request):
    """``{language code: absolute URL}`` of the live, public versions of ``page`` (itself included), in the
    languages' declared order. One query."""
    found = {
        other.locale.language_code: request.build_absolute_uri(other.chrome_url)
        for other in live_versions(page, request)
        if other.is_public
    }
    return {code: found[code] for code in language_order() if code in found}


def og_locale(language_code):
    """Open Graph's ``ll_TT`` form of a language, with CLDR's most likely territory (``ar`` → ``ar_EG``)."""
    likely = get_global("likely_subtags")
    base = language_code.split("-")[0]
    tag = likely.get(language_code.replace("-", "_")) or likely.get(base) or base
    parts = tag.split("_")
    territory = next((part for part in parts[1:] if len(part) == 2 and part.isupper()), "")
    return f"{base}_{territory}" if territory else base


def social_image(page, request):
    """``(absolute URL, width, height, alt text)`` of the page's lead image (``core/images.py``) in card size, with
    the page's own alternative text (in the page's language), or None."""
    image = getattr(page, "lead_image", None)
    if image is None:
        return None
    rendition = image.get_rendition(SOCIAL_IMAGE_FILTER)
    url = request.build_absolute_uri(rendition.url)
    alt = page.lead_image_alt or image.default_alt_text
    return {"url": url, "width": rendition.width, "height": rendition.height, "alt": alt}


def structured_data(page, request, url, description, image):
    """The schema.org description of a page whose type declares ``schema_org_type`` (an article, a news item, an
    event, a case study), or None. A page type adds its own properties in ``extend_structured_data(data)``."""
    schema_type = getattr(page, "schema_org_type", None)
    if not schema_type:
        return None
    data = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "name": page.title,
        "headline": document_title(page)[:110],  # the length search engines accept for a headline
        "description": description,
        "url": url,
        "inLanguage": page.locale.language_code,
        "datePublished": page.first_published_at,
        "dateModified": page.last_published_at,
        "publisher": {"@type": "Organization", "name": site_name()},
    }
    if image:
        data["image"] = image["url"]
    extend = getattr(page, "extend_structured_data", None)
    if extend is not None:
        extend(data)
    return {key: value for key, value in data.items() if value not in (None, "")}


def json_ld_script(data):
    """``<script type="application/ld+json">``: a data block, which browsers neither run nor check against the
    Content-Security-Policy, so it needs no nonce."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 (escaped above)  # nosec B308 B703


def page_metadata(page, request):
    """Everything the shared head fragment (``includes/seo_head.html``) prints for ``page``."""
    if not isinstance(page, Page) or not page.pk:
        return {"description": ""}
    translations = live_translations(page, request)
    language = page.locale.language_code
    url = translations.get(language) or absolute_url(request, page)
    description = meta_description(page)
    image = social_image(page, request)
    data = structured_data(page, request, url, description, image)
    return {
        "title": document_title(page),
        "description": description,
        "canonical": url,
        "og_type": "article" if data else "website",
        "og_locale": og_locale(language),
        "og_locale_alternates": [og_locale(code) for code in translations if code != language],
        "alternates": list(translations.items()),
        "x_default": translations.get(settings.LANGUAGE_CODE),
        "image": image,
        "json_ld": json_ld_script(data) if data else "",
    }
