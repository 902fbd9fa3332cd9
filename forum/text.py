"""Members' text, made safe to show: plain text with links, never markup.

A post is kept exactly as typed and rendered here, at display time: everything is HTML-escaped (so no element,
attribute, script or image a member types can reach a reader), blank lines make paragraphs, line breaks stay,
``http(s)://`` and ``www.`` addresses become links marked ``rel="nofollow ugc"`` (Django's ``urlize``: other
schemes such as ``javascript:`` stay text), and ``[[slug]]`` names a practice or a handbook chapter by its slug (the
last part of its address): it becomes a link to that page, titled in the reader's language when it is translated.
No image is ever rendered, so nothing a member writes can make a reader's browser fetch from elsewhere (a tracking
pixel). An unknown or unpublished slug stays as typed.
"""

import re

from django.conf import settings
from django.utils.html import escape, format_html, urlize
from django.utils.safestring import mark_safe
from wagtail.models import Page

from core.languages import active_language
from handbook.models import CaseStudyPage, ChapterPage

MENTION = re.compile(r"\[\[([a-z0-9][a-z0-9_-]{0,254})\]\]")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
URL_SHOWN_LENGTH = 60  # a long address is shortened on screen (the link keeps it whole)


def mentioned_pages(texts):
    """The pages ``[[slug]]`` names in ``texts``, by slug: live, public practices and chapters, in the reader's
    language where translated, else in the default language, else in the first language found."""
    slugs = {slug for text in texts for slug in MENTION.findall(text)}
    if not slugs:
        return {}
    language = active_language()
    rank = {language: 0, settings.LANGUAGE_CODE: 1}
    candidates = (
        Page.objects.live()
        .public()
        .type(CaseStudyPage, ChapterPage)
        .filter(slug__in=slugs)
        .select_related("locale")
        .order_by("pk")
    )
    chosen = {}
    for page in candidates:
        current = chosen.get(page.slug)
        if current is None or rank.get(page.locale.language_code, 2) < rank.get(current.locale.language_code, 2):
            chosen[page.slug] = page
    # Prefer the translation in the reader's language of a page found in another.
    by_key = {page.translation_key: slug for slug, page in chosen.items()}
    for page in Page.objects.live().public().filter(translation_key__in=by_key, locale__language_code=language):
        chosen[by_key[page.translation_key]] = page
    return chosen


def _link_text(text):
    return urlize(text, trim_url_limit=URL_SHOWN_LENGTH, nofollow=True, autoescape=True).replace(
        'rel="nofollow"', 'rel="nofollow ugc"'
    )


def _mention(match, pages):
    page = pages.get(match.group(1))
    if page is None:
        return escape(match.group(0))
    return format_html(
        '<a class="mention" href="{}" lang="{}"><bdi>{}</bdi></a>', page.url, page.locale.language_code, page.title
    )


def render(text, pages):
    """``text`` as safe HTML: paragraphs, line breaks, links and ``[[slug]]`` mentions (``pages``: from
    ``mentioned_pages``)."""
    paragraphs = []
    for paragraph in PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").strip()):
        pieces, position = [], 0
        for match in MENTION.finditer(paragraph):
            pieces.append(_link_text(paragraph[position : match.start()]))
            pieces.append(_mention(match, pages))
            position = match.end()
        pieces.append(_link_text(paragraph[position:]))
        # Every piece is escaped HTML with no line break inside a tag, so the breaks are the member's own.
        paragraphs.append("<p>" + "".join(pieces).strip().replace("\n", "<br>") + "</p>")
    return mark_safe("\n".join(paragraphs))  # noqa: S308 - built from escaped pieces only  # nosec B308 B703
