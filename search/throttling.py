"""Throttling of the public search: a client address gets a fixed number of searches a minute."""

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import gettext as _


class SearchRateLimitMiddleware:
    """Public search costs a query on the search engine per request: each client address gets SEARCH_RATE_LIMIT
    searches a minute, then a 429 with a short message until the minute is over.

    Counts live in the default cache (per process with the local-memory cache; use a shared cache such as Redis
    to count across workers). The address is REMOTE_ADDR: behind a proxy, make the proxy set it to the client's."""

    SEARCH_PATH = re.compile(r"^/[a-z]{2}(?:-[a-z]+)?/search/(?:suggest/)?$")
    WINDOW_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.SEARCH_PATH.match(request.path_info):
            window = int(time.time() // self.WINDOW_SECONDS)
            key = f"search-rate:{request.META.get('REMOTE_ADDR', '')}:{window}"
            cache.add(key, 0, self.WINDOW_SECONDS + 5)
            try:
                count = cache.incr(key)
            except ValueError:  # evicted between add and incr
                count = 1
            if count > settings.SEARCH_RATE_LIMIT:
                response = HttpResponse(
                    _("Too many searches from your address. Please wait a minute and try again."),
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(self.WINDOW_SECONDS - int(time.time()) % self.WINDOW_SECONDS)
                return response
        return self.get_response(request)
