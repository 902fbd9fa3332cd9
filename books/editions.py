"""Rendering a page's PDF edition when what it shows has changed, and storing it."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from core.prepared import PreparedInstances

from .models import PdfEdition
from .rendering import book_for, fingerprint, render

logger = logging.getLogger(__name__)


# Asked on every case study and chapter a reader opens: its SQL is compiled once (core/prepared.py).
_LATEST = PreparedInstances(lambda page_id: PdfEdition.objects.filter(page_id=page_id)[:1])


def latest_edition(page):
    if page.pk is None:  # a preview of a page not saved yet
        return None
    editions = _LATEST(page_id=page.pk)
    return editions[0] if editions else None


def refresh_edition(page, force=False):
    """Render and store the page's PDF unless the newest edition already shows its current sources; then delete the
    editions (and files) it replaces. Returns the new edition, or None when nothing needed doing (the page is not
    live, is behind a view restriction, or is unchanged)."""
    page = page.specific
    book = book_for(page)
    if book is None or not page.live or page.get_view_restrictions().exists():
        return None
    digest = fingerprint(book.language, book.sources)
    current = latest_edition(page)
    if current and current.fingerprint == digest and not force:
        return None
    rendered = render(book)
    if rendered.refused:
        logger.warning("PDF of page %s: refused to fetch %s", page.pk, ", ".join(rendered.refused))
    name = f"{slugify(page.slug) or page.pk}-{book.language}-{digest[:12]}.pdf"
    with transaction.atomic():
        # The editions replaced; their files go once this commits (``publishing.remove_file``): a reader downloading
        # the old edition meanwhile still gets it.
        for old in PdfEdition.objects.filter(page_id=page.pk):
            old.delete()
        edition = PdfEdition(
            page=page,
            language=book.language,
            source_revision_id=page.live_revision_id,
            fingerprint=digest,
            size=len(rendered.pdf),
            page_count=rendered.page_count,
            render_seconds=rendered.seconds,
        )
        edition.file.save(name, ContentFile(rendered.pdf), save=False)
        edition.save()
    return edition
