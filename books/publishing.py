"""Publishing a handbook page, a chapter or a case study queues the PDF editions it changes.

A handbook of one language changes when its front page, one of its chapters or a case study in that language is
published or unpublished; a case study's own PDF when it is. The render runs in the ``books`` task backend (a
worker in production: a reader never waits for it) after the transaction commits; a render asked for a page
whose sources have not changed since its last edition does nothing (``editions.refresh_edition``). Bulk loads
(the demo, the test suite's sample site) collect their renders with ``deferred()`` and queue each page once at
the end, or not at all.
"""

import contextlib
import threading

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from handbook.models import CaseStudyPage, ChapterPage, CoveragePage, HandbookPage
from handbook.models.people import public_focal_point_changed

from .models import PdfEdition
from .tasks import render_edition

_state = threading.local()
# The page types whose publication changes an edition (``editions_changed_by``).
EDITION_SOURCES = (HandbookPage, ChapterPage, CaseStudyPage, CoveragePage)


def editions_changed_by(page):
    """The ids of the pages whose PDF shows ``page``: the handbook of its language (the coverage page's figures
    close it), and a case study itself."""
    page = page.specific
    if not isinstance(page, EDITION_SOURCES):
        return []
    handbook = HandbookPage.objects.filter(locale_id=page.locale_id).values_list("pk", flat=True).first()
    ids = [handbook] if handbook else []
    if isinstance(page, CaseStudyPage):
        ids.append(page.pk)
    return ids


def _queue(page_ids):
    for page_id in page_ids:
        render_edition.enqueue(page_id)


@contextlib.contextmanager
def deferred(enqueue=True):
    """Collect the renders publications ask for while the block runs; at its end queue each page once (or, with
    ``enqueue=False``, none). Nested blocks hand their pages to the outermost one."""
    outer = getattr(_state, "pending", None)
    if outer is not None:
        yield
        return
    _state.pending = {}
    try:
        yield
        pending = list(_state.pending)
    finally:
        del _state.pending
    if enqueue:
        _queue(pending)


def request_editions(page):
    page_ids = editions_changed_by(page)
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending.update(dict.fromkeys(page_ids))
    elif page_ids:
        transaction.on_commit(lambda: _queue(page_ids))


def on_publication_change(sender, instance, **kwargs):
    request_editions(instance)


for _model in EDITION_SOURCES:
    page_published.connect(on_publication_change, sender=_model, dispatch_uid=f"books-published-{_model.__name__}")
    page_unpublished.connect(on_publication_change, sender=_model, dispatch_uid=f"books-unpublished-{_model.__name__}")


def on_public_focal_point_change(sender, expert, practices, **kwargs):
    """An expert's profile stopped (or started) being public: the editions that show the practices linking to it
    are withdrawn at once, not when the new render is done (a withdrawn consent must not stay in a file readers
    download), and rendered again; meanwhile readers get the "being prepared" answer."""
    affected = {page_id for page in practices if page.live for page_id in editions_changed_by(page)}
    editions = PdfEdition.objects.filter(page_id__in=affected)
    page_ids = set(editions.values_list("page_id", flat=True))  # a page with no edition yet has nothing to renew
    if not page_ids:
        return
    for edition in editions:
        edition.delete()  # one by one: each takes its file along (``remove_file``)
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending.update(dict.fromkeys(page_ids))
    else:
        transaction.on_commit(lambda: _queue(page_ids))


public_focal_point_changed.connect(on_public_focal_point_change, dispatch_uid="books-public-focal-point")


def remove_file(sender, instance, **kwargs):
    """An edition deleted with its page (or replaced) takes its file along, once the deletion is committed."""
    file = instance.file
    if file.name:
        transaction.on_commit(lambda: file.storage.delete(file.name))


post_delete.connect(remove_file, sender=PdfEdition, dispatch_uid="books-remove-file")
