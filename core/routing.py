"""Serving a page found in one query where Wagtail's routing takes four.

Wagtail finds a page of ``/<language>/<path>`` from the site's root page: the active locale (one query), the root's
translation in it and that page's specific row (one or two), then the home page's ``route`` (``home/models.py``:
the page by its URL path in that language's tree, then its specific row). Every level but the last is only a way
to the last one: a page's own address is its URL path under its language's home page.

So each process remembers, per site, language and path, the *type* of the page Wagtail found there (a hint, not an
answer), and next time asks that type's table for the live page at that URL path under the language's home page,
in one query. The query itself checks everything the hint could have got wrong: a page moved, renamed, replaced by
another type, unpublished, or the home page renamed all give no row, and then Wagtail's own routing runs as
before (and its answer is remembered). Nothing needs purging, so every process can keep its own hints.

Once that query has found the page, its id is remembered too, with the version of the sites and the page tree it
was found under (``core/sites.py``: any save, deletion or move of a page, a site, a locale or a view restriction
changes it). While the version is the same, nothing the query checked can have changed, so the page is read by its
id alone, the query with the least to compile; a new version sends the next request through the full query again.

Only what ``HomePage.route`` finds in the reader's own tree takes this path; the home page itself, and a page shown
from another language's tree (``core/fallback.py``) are left to Wagtail's routing each time.
"""

from collections import namedtuple

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Subquery, Value
from django.db.models.functions import Concat
from wagtail import views as wagtail_views
from wagtail.models import Page

from core import sites
from core.images import LeadImageMixin
from core.languages import active_language
from core.prepared import PreparedInstances
from core.restrictions import with_restrictions_known

MAX_HINTS = 10_000  # a bound on each process's memory: past it, the hints start again from none
SHOWN_FROM_ANOTHER_TREE = 0  # the hint for an address whose page lives in another language's tree
_hints = {}
# Where the hint's query found the page, and what restricts it, under a version of the sites and the page tree: while
# the version holds, nothing in the tree has changed, so the page is read by its id (a query with nothing to compile
# but the page's own columns).
Known = namedtuple("Known", "version pk has_view_restrictions under_alias")
_known = {}
_by_id = {}  # page model -> its page-by-id query, compiled once


def _by_id_query(model):
    def build(pk):
        pages = model.objects.filter(pk=pk)
        if issubclass(model, LeadImageMixin):
            pages = pages.select_related("lead_image")  # read with the page (its renditions are in Wagtail's cache)
        return pages

    return PreparedInstances(build)


def _find(site, path, content_type_id, known=None):
    """The live page of this type at ``path`` under the active language's home page (the site root's translation),
    or None. ``known``: where it was found before and what restricts it, when nothing in the tree has changed since
    (``core/sites.py``); then it is read by its id alone, with SQL compiled once per page type
    (``core/prepared.py``)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None or not issubclass(model, Page):
        return None
    if known is not None:
        query = _by_id.get(model)
        if query is None:
            query = _by_id[model] = _by_id_query(model)
        found = query(pk=known.pk)
        page = found[0] if found else None
        if page is None or not page.live:
            return None
        page.has_view_restrictions, page.under_alias = known.has_view_restrictions, known.under_alias
        return page
    homes = Page.objects.filter(
        translation_key=site.root_page.translation_key, locale__language_code=active_language(), live=True
    )
    url_path = Concat(Subquery(homes.values("url_path")[:1]), Value(path), output_field=CharField())
    pages = with_restrictions_known(
        model.objects.filter(url_path=url_path, path__startswith=Subquery(homes.values("path")[:1]))
    )
    if issubclass(model, LeadImageMixin):
        pages = pages.select_related("lead_image")
    page = pages.order_by("path").first()
    return page if page is not None and page.live else None


def serve(request, path):
    """Wagtail's ``serve`` view, with the page found by the hint when it holds (module docstring)."""
    site = sites.find_for_request(request)
    key = (getattr(site, "pk", None), active_language(), path)
    hint = _hints.get(key) if site is not None and path.strip("/") else None
    if hint:
        known = _known.get(key)
        version = sites.version(request)
        page = _find(site, path, hint, known if known is not None and known.version == version else None)
        if page is not None:
            if version is not None and (known is None or known.version != version):
                _known[key] = Known(version, page.pk, page.has_view_restrictions, page.under_alias)
            request._wagtail_route_for_request = page.route(request, [])
            return wagtail_views.serve(request, path)
        _known.pop(key, None)
    response = wagtail_views.serve(request, path)
    found = getattr(request, "_wagtail_route_for_request", None)
    if site is None or not path.strip("/") or hint == SHOWN_FROM_ANOTHER_TREE:
        return response
    if found is None:
        _hints.pop(key, None)  # nothing there (any more): no hint kept for addresses that answer 404
        return response
    if len(_hints) >= MAX_HINTS:
        _hints.clear()
        _known.clear()
    content_type_id = found[0].content_type_id
    # Wagtail found a page of the hinted type where the hint's query found none: it is another tree's page.
    _hints[key] = SHOWN_FROM_ANOTHER_TREE if content_type_id == hint else content_type_id
    return response
