"""Turning the handbook of one language, or one case study, into a PDF with WeasyPrint.

The HTML comes from this app's templates and the pages' own ``get_context`` (the same terms, countries and people
the web page shows), rendered in the page's language, against the site's root URL so that links in the PDF lead
to the live site. Fonts are Debian's Noto TTF files found through fontconfig (web-font Arabic extracted as garbage
text in a trial). Resources go through ``fetcher.SiteFilesFetcher``: only the site's static and media files.
"""

import hashlib
import io
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation
from weasyprint import HTML

from core.languages import language_name
from handbook.models import CaseStudyPage, ChapterPage, CoveragePage, Expert, HandbookPage

from .fetcher import SiteFilesFetcher

# Raised when the PDF templates or style change in a way that should reach every stored PDF (``render_books``).
LAYOUT_VERSION = "2"  # 2: the coverage figures close the handbook


@dataclass
class Rendered:
    pdf: bytes
    page_count: int
    seconds: float
    refused: list


def fingerprint(language, pages):
    """A digest of the live revision of every page a PDF shows, and of the public focal points its practices name:
    it changes exactly when one of them is republished, unpublished, added or removed, or when an expert's profile
    stops or starts being public (so the new edition has a new name and ETag, and no cache revalidates the old)."""
    practices = [page.pk for page in pages if isinstance(page, CaseStudyPage)]
    named = Expert.objects.public().filter(practices__in=practices).values_list("practices", "translation_key")
    parts = [
        LAYOUT_VERSION,
        language,
        *(f"{page.pk}:{page.live_revision_id}" for page in pages),
        *sorted(f"{page_id}:{key}" for page_id, key in named),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _request_for(page):
    """A stand-in GET request for the page on its own site (``get_context`` and ``pageurl`` need one; Wagtail's
    previews build theirs the same way), and the site's root URL the document is rendered against."""
    url = urlsplit(page.get_full_url() or settings.WAGTAILADMIN_BASE_URL)
    request = RequestFactory().get(url.path or "/", HTTP_HOST=url.netloc, secure=url.scheme == "https")
    return request, f"{url.scheme}://{url.netloc}/"


def _case_study_context(page, request):
    context = page.get_context(request)
    context["page"] = page
    return context


class HandbookBook:
    """The whole handbook of one language: cover, contents, chapters each followed by the case studies it cites,
    references, colophon."""

    template = "books/handbook.html"

    def __init__(self, handbook):
        self.page = handbook
        self.language = handbook.locale.language_code
        self.chapters = list(ChapterPage.objects.child_of(handbook).live().public().order_by("path"))
        cited = (
            CaseStudyPage.objects.live()
            .public()
            .filter(
                locale_id=handbook.locale_id, chapters__translation_key__in=[c.translation_key for c in self.chapters]
            )
            .distinct()
            .order_by("title")
        )
        self.practices = list(cited)
        # The coverage page's figures count every practice of the language, cited in a chapter or not.
        self.coverage = CoveragePage.objects.live().public().filter(locale_id=handbook.locale_id).first()
        counted = set(self.practices)
        if self.coverage is not None:
            counted |= set(CaseStudyPage.objects.live().public().filter(locale_id=handbook.locale_id))
        covered = [self.coverage] if self.coverage is not None else []
        self.sources = [handbook, *self.chapters, *sorted(counted, key=lambda page: page.pk), *covered]

    def chapter_practices(self, request):
        """Each chapter with the case studies it cites: the first chapter citing one prints it in full, later ones
        point to its page."""
        keys = {}
        for practice in self.practices:
            for key in practice.chapters.values_list("translation_key", flat=True):
                keys.setdefault(key, []).append(practice)
        printed = set()
        chapters = []
        for chapter in self.chapters:
            entries = []
            for practice in keys.get(chapter.translation_key, []):
                first = practice.pk not in printed
                printed.add(practice.pk)
                entries.append(
                    {"first": first, **(_case_study_context(practice, request) if first else {"page": practice})}
                )
            chapters.append({"page": chapter, "context": chapter.get_context(request), "practices": entries})
        return chapters

    def context(self, request):
        return {
            "handbook": self.page,
            "chapters": self.chapter_practices(request),
            "coverage": self.coverage.get_context(request) if self.coverage is not None else None,
        }


class CaseStudyBook:
    """One practice case study on its own."""

    template = "books/case_study.html"

    def __init__(self, page):
        self.page = page
        self.language = page.locale.language_code
        self.sources = [page]

    def context(self, request):
        return {"practice": {"first": True, **_case_study_context(self.page, request)}}


def book_for(page):
    """The book a page prints as: the handbook of its language, or one case study; None for other pages."""
    page = page.specific
    if isinstance(page, HandbookPage):
        return HandbookBook(page)
    if isinstance(page, CaseStudyPage):
        return CaseStudyBook(page)
    return None


def render(book):
    """The book as PDF bytes (tagged PDF/UA-1, the title in its metadata), with its page count and render time."""
    started = time.monotonic()
    with translation.override(book.language):
        request, base_url = _request_for(book.page)
        context = {
            **book.context(request),
            "request": request,
            "language_code": book.language,
            "language_bidi": translation.get_language_bidi(),
            "language_name": language_name(book.language, book.language),
            "edition": {
                "fingerprint": fingerprint(book.language, book.sources),
                "revision": book.page.live_revision_id,
                "published": max(page.last_published_at or timezone.now() for page in book.sources),
                "url": book.page.get_full_url(),
            },
            "show_sample_notice": settings.SHOW_SAMPLE_NOTICE,
        }
        html = render_to_string(book.template, context)
    fetcher = SiteFilesFetcher(base_url)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()
    output = io.BytesIO()
    document.write_pdf(output, pdf_variant="pdf/ua-1")
    return Rendered(output.getvalue(), len(document.pages), time.monotonic() - started, fetcher.refused)
