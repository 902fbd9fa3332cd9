"""Date-time formats with the time zone appended ("Dec. 5, 2026, 9 a.m. EST"), so that a time shown in the admin
(a page's go-live and expiry in the status panel, the dates of its history) cannot be read in the wrong zone.

``FORMAT_MODULE_PATH`` points here; Django looks up ``config.formats.<locale>.formats`` before its own formats,
so each language's module declares only DATETIME_FORMAT, made by ``zoned`` from Django's own.
"""

from importlib import import_module

from django.conf import global_settings


def zoned(locale):
    """Django's date-time format for ``locale`` followed by the time zone's abbreviation (format character T)."""
    django_formats = import_module(f"django.conf.locale.{locale}.formats")
    return getattr(django_formats, "DATETIME_FORMAT", global_settings.DATETIME_FORMAT) + " T"
