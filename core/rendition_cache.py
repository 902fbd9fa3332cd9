"""Wagtail's cache of image renditions (the ``renditions`` cache), without writing back what it has just read.

Wagtail reads a page's renditions from the cache (one ``get_many`` for a ``<picture>``'s nine sizes and formats)
and then writes every one of them back, unchanged, on every request: it marks only prefetched renditions as not to
be written (``_from_cache``). These backends mark what they read the same way, and do not write a rendition so
marked: a read is a read. A rendition Wagtail has just found in the database or made is still written, and
everything Wagtail purges (an image saved with a new focal point or file, or deleted) is still deleted.

The entries are the default cache's own (same store and location): clearing it clears them.
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

from core.redis_cache import SharedRedisCache

READ_MARK = "_from_cache"  # the attribute Wagtail's get_renditions checks before writing a rendition back


def _mark(value):
    if hasattr(value, "__dict__"):
        setattr(value, READ_MARK, True)
    return value


def _was_read(value):
    return getattr(value, READ_MARK, False)


class ReadOnceMixin:
    def get(self, key, default=None, version=None):
        value = super().get(key, default, version)
        return value if value is default else _mark(value)

    def get_many(self, keys, version=None):
        found = super().get_many(keys, version)
        for value in found.values():
            _mark(value)
        return found

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not _was_read(value):
            super().set(key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        unread = {key: value for key, value in data.items() if not _was_read(value)}
        return super().set_many(unread, timeout, version) if unread else []


class LocMemRenditionCache(ReadOnceMixin, LocMemCache):
    pass


class RedisRenditionCache(ReadOnceMixin, SharedRedisCache):
    pass
