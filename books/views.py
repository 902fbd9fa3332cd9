"""Serving a page's PDF edition at the page's URL + ``.pdf`` (``/ar/handbook.pdf``, ``/ar/practices/x.pdf``).

The file is the stored edition, never rendered here: before the first edition exists the reader gets a short
page (404, ``Retry-After``) saying it is being prepared. Editions carry validators (ETag: the sources' digest,
Last-Modified: when it was rendered), so a browser or a cache asks again cheaply.
"""

import re

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from wagtail.models import Page

from .editions import latest_edition
from .rendering import book_for

# Characters a file name cannot hold on common systems; the title keeps its own script (Arabic, Chinese …).
UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
RETRY_AFTER_SECONDS = 120


def download_name(page):
    """The file name a reader saves: the page's title in its language, e.g. «دليل الممارسات الجيدة.pdf»."""
    title = UNSAFE_IN_FILENAME.sub(" ", page.title).strip() or page.slug
    return f"{title[:120]}.pdf"


def book_page(request, path):
    """The live, public page at ``path`` that has a PDF edition (the handbook or a case study), else 404."""
    page = Page.find_for_request(request, path)
    if page is None or book_for(page) is None or page.get_view_restrictions().exists():
        raise Http404
    return page.specific


def page_pdf(request, path):
    page = book_page(request, path)
    edition = latest_edition(page)
    if edition is None or not edition.file.storage.exists(edition.file.name):
        response = render(request, "books/preparing.html", {"book_page": page}, status=404)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        patch_cache_control(response, no_cache=True)
        return response
    etag = f'"{edition.fingerprint}"'
    last_modified = edition.created.timestamp()
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = FileResponse(edition.file.open("rb"), content_type="application/pdf", filename=download_name(page))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Short freshness: the URL stays the same when a new edition replaces the file; the validators make the
    # revalidation cheap.
    patch_cache_control(response, public=True, max_age=600)
    return response
