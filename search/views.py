"""The public search page: full text within the reader's language."""

import logging
import unicodedata

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError, transaction
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

MAX_QUERY_LENGTH = 200
logger = logging.getLogger(__name__)


def search_words(text):
    """Only letters, digits and combining marks (Arabic vowel signs…) count in a full-text search; punctuation,
    symbols and control characters made the SQLite engine's query parser fail, so they become spaces."""
    return " ".join("".join(ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in text).split())


def search(request):
    query = search_words(request.GET.get("q", ""))
    notice = ""
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH]
        notice = _("Your search was shortened to its first %(count)d characters.") % {"count": MAX_QUERY_LENGTH}
    results = Page.objects.none()
    if query:
        results = (
            Page.objects.live().public().filter(locale=Locale.get_active()).specific().search(query, operator="and")
        )
    paginator = Paginator(results, 10)
    status = 200
    try:
        # A savepoint, so that a query the engine rejects leaves the connection usable (PostgreSQL).
        with transaction.atomic():
            try:
                page = paginator.page(request.GET.get("page", 1))
            except PageNotAnInteger:
                page = paginator.page(1)
            except EmptyPage:
                page = paginator.page(paginator.num_pages)
            page.object_list = list(page.object_list)
    except DatabaseError:
        logger.warning("Search engine rejected the query %r", query)
        page = Paginator(Page.objects.none(), 10).page(1)
        notice = _("This search could not be run. Try other words.")
        status = 400
    return render(request, "search/search.html", {"query": query, "results": page, "notice": notice}, status=status)
