"""Which site a request is for, without asking the database on every request; and the version of the sites and
the page tree that such kept answers depend on.

Wagtail finds a request's site (``Site.find_for_request``) with a query of four ranked conditions, once per request:
on a page of this site the costliest single query there is to compile. The answer depends only on the request's
host and port and on the sites and their root pages, which change a few times in a site's life. So it is kept in
the default cache (shared by every process when it is Redis, like Wagtail's own cache of the sites' root paths),
one entry per host and port, and the whole of it is dropped when a site or a page is saved, deleted or moved: a
root page travels with its site (Wagtail reads it from there), so an edit of the home page must not leave a copy
of its old row behind.

The version changes with every save, deletion or move of a site, a page, a locale or a page's view restriction.
Every serving process must see each new version, so it lives where they all look (``TREE_VERSION_STORE``):
- ``"cache"``, a cache every process shares (Redis), or one process's memory where there is one process (runserver,
  tests). It changes when the signal is sent and once more when the transaction that made the change commits (the
  signals are sent before it does: a request that read the new version and then the database before the commit
  would otherwise keep the old rows under the new version);
- ``"database"``, a row every process reads once per request (``core.models.TreeVersion``), for several app servers
  without a shared cache: the new value is written in the change's own transaction, so it is seen exactly when the
  change is.
What is kept under a version is therefore never older than the database: ``core/routing.py`` keeps where each page
is under it too.
"""

import contextlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Locale, PageViewRestriction, Site, get_page_models
from wagtail.signals import post_page_move

from core.models import TreeVersion
from core.prepared import PreparedQuery

VERSION_KEY = "sites:version"
NO_SITE = "none"  # kept for a host no site answers to (Wagtail's answer is then None)


ENTRY_SECONDS = 24 * 60 * 60  # entries of a dropped version are not read again; this lets the cache let them go


ROW = 1  # the primary key of TreeVersion's one row
_stored = PreparedQuery(lambda pk: TreeVersion.objects.filter(pk=pk).values("value"))


def _in_database():
    return settings.TREE_VERSION_STORE == "database"


def _version():
    """A number that changes whenever the entries must be dropped. Read before the database is: an answer read
    while a change was being made is stored under a version that the change has already retired."""
    if _in_database():
        rows = _stored(pk=ROW)
        if rows:
            return rows[0]["value"]
        # No row yet (a new or emptied database): the first reader writes one; of two, one wins.
        TreeVersion.objects.bulk_create([TreeVersion(pk=ROW, value=secrets.randbits(62))], ignore_conflicts=True)
        return _stored(pk=ROW)[0]["value"]
    version = cache.get(VERSION_KEY)
    if version is None:
        # A random start, never 1 again: what a process keeps in its own memory under a version must not match a
        # version made after the cache was emptied (a restarted Redis, a test's clean cache). Of two processes
        # making it, one wins (``add``).
        cache.add(VERSION_KEY, secrets.randbits(62), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _next_version():
    with contextlib.suppress(ValueError):  # no version yet: nothing was kept under one
        cache.incr(VERSION_KEY)


def forget_sites(*args, **kwargs):
    """Drop every kept answer: the next request asks the database again. In the database, a new random value
    (never one a rolled-back change or an emptied database could bring back), written in the change's transaction;
    in the cache, now and when the change commits."""
    if _in_database():
        # No row yet: nothing was kept under one, and the next reader writes it.
        TreeVersion.objects.filter(pk=ROW).update(value=secrets.randbits(62))
        return
    _next_version()
    transaction.on_commit(_next_version)


def version(request):
    """The version this request read first (``find_for_request`` reads it): what it keeps, it keeps under this.
    None when the cache holds the version and keeps nothing (a dummy cache)."""
    if not hasattr(request, "_sites_version"):
        request._sites_version = _version()
    return request._sites_version


def find_for_request(request):
    """``Site.find_for_request(request)``, from the cache when the same host and port asked before since the last
    change; sets ``request._wagtail_site`` so Wagtail's own lookups in this request use it too."""
    if request is None:
        return None
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    if version(request) is None:
        return Site.find_for_request(request)
    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"sites:{version(request)}:{hostname}:{request.get_port()}"
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        cache.set(key, NO_SITE if site is None else site, timeout=ENTRY_SECONDS)
    elif isinstance(site, str):
        site = None
    request._wagtail_site = site
    return site


def kept(request, store, bound, key, compute):
    """``compute()``, kept in ``store`` per version of the sites and the page tree, the request's site and ``key``, for
    what depends only on those (a page's address, the chrome's rows); computed afresh outside a request. Bounded: past
    ``bound`` entries the store starts again from none."""
    current = version(request) if request is not None else None
    if current is None:
        return compute()
    full_key = (current, getattr(find_for_request(request), "pk", None), *key)
    value = store.get(full_key)
    if value is None:
        if len(store) >= bound:
            store.clear()
        value = store[full_key] = compute()
    return value


def connect():
    # Each model by name, not every model: a receiver for every model would make Django load each row of any bulk
    # deletion (sessions, index entries) to send it a signal. A page's signals are sent by its specific class.
    for model in {Site, Locale, PageViewRestriction, *get_page_models()}:
        label = model._meta.label
        post_save.connect(forget_sites, sender=model, dispatch_uid=f"sites_saved_{label}")
        post_delete.connect(forget_sites, sender=model, dispatch_uid=f"sites_deleted_{label}")
    post_page_move.connect(forget_sites, dispatch_uid="sites_page_moved")
