"""What the PDF renderer may read: the site's own static and media files, nothing else.

Pages carry editor-entered HTML (rich text, links, images). WeasyPrint fetches whatever an ``<img>``, a stylesheet
or a ``<link rel="attachment">`` names, over HTTP or from the disk (its documentation's security section says so),
so a hostile URL could make the server call another machine or embed ``/etc/passwd`` in a PDF. The fetcher below
answers only URLs on the render's own base URL under ``STATIC_URL`` or ``MEDIA_URL``, and image renditions' URLs on
the media bucket when there is one (``core/storage.py``), read from the static files and the media storage by their
relative name; every other URL is refused without any network or disk access.
"""

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.media import media_name_for_url


class RefusedURL(ValueError):
    """The renderer asked for something that is not one of the site's own static or media files."""


def _relative_name(path, prefix):
    """The file name under ``prefix`` (a URL path such as ``/static/``), or None when ``path`` leaves it."""
    if not path.startswith(prefix):
        return None
    name = posixpath.normpath(unquote(path[len(prefix) :]))
    if name.startswith(("/", "..")) or name == "." or "\\" in name or "\x00" in name:
        return None
    return name


def _static_file(name):
    """A static file by its name: the collected copy (production's hashed names), else the finders' source."""
    if staticfiles_storage.exists(name):
        return staticfiles_storage.open(name)
    found = finders.find(name)
    return open(found, "rb") if found else None  # noqa: SIM115 - WeasyPrint closes the response's file


class SiteFilesFetcher(URLFetcher):
    """A WeasyPrint URL fetcher limited to the site's static and media files (see the module's docstring)."""

    def __init__(self, base_url):
        # Documents are rendered against the site's root URL, so that their links lead to the live site; the
        # site's files are read from storage, never over the network, whatever the host.
        super().__init__(allow_redirects=False)
        self.base = urlsplit(base_url)
        self.refused = []  # what the render asked for and did not get: for logs and tests

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        file = None
        if (parts.scheme, parts.netloc) == (self.base.scheme, self.base.netloc) and not parts.query:
            static_name = _relative_name(parts.path, settings.STATIC_URL)
            media_name = _relative_name(parts.path, settings.MEDIA_URL)
            if static_name:
                file = _static_file(static_name)
            elif media_name and default_storage.exists(media_name):
                file = default_storage.open(media_name)
        else:
            # Image renditions on a bucket (core/storage.py) carry the bucket's URL: read through the storage too.
            media_name = media_name_for_url(url)
            if media_name and default_storage.exists(media_name):
                file = default_storage.open(media_name)
        if file is not None:
            content_type = mimetypes.guess_type(parts.path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, file, {"Content-Type": content_type})
        self.refused.append(url)
        raise RefusedURL(f"not one of the site's static or media files: {url[:200]}")
