"""The public search page: full text within the reader's language."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from home.pagination import paginate

MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("q", "").strip()
    notice = ""
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH]
        notice = _("Your search was shortened to its first %(count)d characters.") % {"count": MAX_QUERY_LENGTH}
    results = Page.objects.none()
    if query:
        results = (
            Page.objects.live().public().filter(locale=Locale.get_active()).specific().search(query, operator="and")
        )
    page = paginate(request, results, 10)
    return render(request, "search/search.html", {"query": query, "results": page, "notice": notice})
