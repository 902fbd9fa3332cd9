"""Throttling of the public search: a client address gets a fixed number of searches a minute."""

import re

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.throttling import count_hit


class SearchRateLimitMiddleware:
    """Public search costs a query on the search engine per request: each client address gets SEARCH_RATE_LIMIT
    searches a minute, then a 429 with a short message until the minute is over.

    Counted by ``core.throttling`` (the default cache, per client address)."""

    SEARCH_PATH = re.compile(r"^/[a-z]{2}(?:-[a-z]+)?/search/(?:suggest/)?$")
    WINDOW_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.SEARCH_PATH.match(request.path_info):
            count, retry_after = count_hit("search", request, self.WINDOW_SECONDS)
            if count > settings.SEARCH_RATE_LIMIT:
                response = HttpResponse(
                    _("Too many searches from your address. Please wait a minute and try again."),
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(retry_after)
                return response
        return self.get_response(request)
