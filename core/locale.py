"""Django's ``LocaleMiddleware``, except for the read API."""

from django.middleware.locale import LocaleMiddleware

from .paths import API_PREFIX


class SiteLocaleMiddleware(LocaleMiddleware):
    """Outside the API, a 404 for a path without a language prefix redirects to the reader's language (``/about/``
    to ``/en/about/``). The API answers for itself outside the prefix (``?locale=`` chooses the language): its 404
    stays a 404, which a program expects, not a redirect to ``/en/api/v3/…``, a page that does not exist."""

    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            return response
        return super().process_response(request, response)
