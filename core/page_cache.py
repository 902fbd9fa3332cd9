"""The anonymous page cache: whole responses of Wagtail pages, kept for readers who are not signed in, and purged
precisely when something they show changes (``core/invalidation.py`` says what a change affects).

What is kept: a ``GET`` of a Wagtail page (marked by the ``before_serve_page`` hook) for a request without a
session cookie or a message waiting to be shown, answered 200 with nothing private in it: no ``Set-Cookie`` (a
CSRF token or a session), no ``private``/``no-cache``/``no-store``, not for a signed-in user, and **no CSP nonce**.
The strict policy
(``accounts/security.py``) lets an inline script run only with the response's own nonce; a page that used one is
never kept, so no reader is served another reader's nonce. Pages without inline scripts (all public pages today)
carry none: the CSP header is added after the cache (``SiteCSPMiddleware`` sits above it in ``MIDDLEWARE``), fresh
on each hit, and it never names a nonce the body lacks.

Precise invalidation without a list of keys: each entry is stored with the *stamps* of its path and of the whole
site, read before the page was rendered; purging a path deletes its stamp (all its query variants, filters and
pagination included, stop matching at once), purging everything deletes the site's stamp. An entry and its two
stamps are fetched in one round trip (``get_many``), so a shared cache (Redis) serves every process the same
answer, and a page rendered while a purge happened is stored under a stamp that no longer exists.

A front cache (Varnish) follows the same decisions: what is kept here is marked ``Surrogate-Control`` (the VCL in
``deploy/varnish/default.vcl`` keeps only that), and every purge is also sent to Wagtail's ``frontend_cache``
(``WAGTAILFRONTENDCACHE``; HTTP ``PURGE``) when it is configured.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.utils.cache import cc_delim_re
from django.utils.encoding import iri_to_uri
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Site

CACHE_HEADER = "X-Page-Cache"  # hit / miss: what the tests and an operator read
SITE_STAMP_KEY = "page-cache:site"
# The path a front cache treats as "everything" (deploy/varnish/default.vcl bans all its objects for it).
PURGE_ALL_PATH = "/*"
UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}
MESSAGES_COOKIE = CookieStorage.cookie_name


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def path_stamp_key(path):
    return f"page-cache:path:{_digest(path)}"


def entry_key(full_path):
    return f"page-cache:entry:{_digest(full_path)}"


def _current_stamp(cache, key):
    """The stamp under ``key``, made now if there is none (``add``: of two processes making it, one wins)."""
    cache.add(key, secrets.token_hex(8), timeout=None)
    return cache.get(key)


def personal_cookies(request):
    """A session (possibly signed in) or a message waiting to be shown (after a form): the reader's own page."""
    return {settings.SESSION_COOKIE_NAME, MESSAGES_COOKIE} & set(request.COOKIES)


def mark_cacheable(request):
    """Called for each Wagtail page served (``core/wagtail_hooks.py``): only page responses are candidates."""
    request.page_cache_candidate = True


def _cache_control(response):
    return {part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}


def is_cacheable(request, response):
    user = getattr(request, "user", None)
    return (
        getattr(request, "page_cache_candidate", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and getattr(request, "_csp_nonce", None) is None
        and not (user is not None and user.is_authenticated)
        and not (_cache_control(response) & UNCACHEABLE_DIRECTIVES)
    )


class PageCacheMiddleware:
    """Serves anonymous readers' page requests from the cache, and keeps what may be kept (module docstring).

    Sits below the security and CSP middleware (which add their headers to every answer, cached or not) and above
    the session, CSRF and authentication middleware (a hit costs none of them, and a response is judged after they
    have added their cookies)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or request.method != "GET" or personal_cookies(request):
            return self.get_response(request)
        cache = page_cache()
        stamp_keys = [SITE_STAMP_KEY, path_stamp_key(request.path)]
        key = entry_key(request.get_full_path())
        found = cache.get_many([*stamp_keys, key])
        stamps = [found.get(stamp_key) for stamp_key in stamp_keys]
        entry = found.get(key)
        if entry is not None and None not in stamps and entry[0] == stamps:
            response = entry[1]
            response[CACHE_HEADER] = "hit"
            return response
        # Read (or made) before rendering: a purge during the rendering deletes them, and the entry stored below
        # then never matches again.
        stamps = [stamp or _current_stamp(cache, key_) for stamp, key_ in zip(stamps, stamp_keys, strict=True)]
        response = self.get_response(request)
        if is_cacheable(request, response):
            response["Surrogate-Control"] = f"max-age={seconds}"
            cache.set(key, (stamps, response), timeout=seconds)
            response[CACHE_HEADER] = "miss"
        return response


def enabled():
    """Whether anything is kept that a change could make stale: this cache, or a front cache."""
    return bool(settings.PAGE_CACHE_SECONDS or getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _frontend_urls(paths):
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return []
    roots = {site.root_url for site in Site.objects.all()}
    return [root + iri_to_uri(path) for root in sorted(roots) for path in sorted(paths)]


def purge_paths(paths):
    """Every cached variant (any query string) of each path, here and in the front cache."""
    paths = set(paths)
    if not paths:
        return
    page_cache().delete_many([path_stamp_key(path) for path in paths])
    urls = _frontend_urls(paths)
    if urls:
        purge_urls_from_cache(urls)


def purge_all():
    """Every cached page: for a change that every page shows (the main menu)."""
    page_cache().delete(SITE_STAMP_KEY)
    urls = _frontend_urls([PURGE_ALL_PATH])
    if urls:
        purge_urls_from_cache(urls)
