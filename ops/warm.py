"""What a gunicorn master does once it has loaded the site and before it forks its workers (``config/gunicorn.py``,
``preload_app``): the work every worker would otherwise do at its first requests, done once, and the connections a
worker must not inherit, closed.

Forked workers share the master's memory: the URL resolver, the six languages' translation catalogues and the
compiled templates made here are theirs from their first request, and a reload's new workers take requests at once
instead of each loading them while the old workers serve on the same cores (``bench/soak.py`` measures the pause).

Importable before Django's apps are loaded (gunicorn reads its configuration first): only Django itself at import.
"""

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

from core.redis_cache import forget_connections

# Templates every page uses or a reader may get, beside each page model's own.
SITE_TEMPLATES = ["base.html", "404.html", "500.html"]


def page_templates():
    """Each Wagtail page model's template (Wagtail names one for every page model: ``Page.template``)."""
    names = set()
    for model in apps.get_models():
        for attribute in ("template", "ajax_template"):
            name = getattr(model, attribute, None)
            if isinstance(name, str) and hasattr(model, "get_template"):
                names.add(name)
    return sorted(names)


def warm():
    """Resolve the URLconf, load every language's catalogues, compile the main templates; returns the templates.
    Nothing when the application gunicorn loaded is not this site (the reload tests' own: ``tests/gunicorn_app.py``)."""
    if not apps.ready:
        return []
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 - built per language on first use (i18n_patterns' prefixes)
            translation.gettext("Search")
    compiled = []
    for name in [*SITE_TEMPLATES, *page_templates()]:
        try:
            get_template(name)
        except TemplateDoesNotExist:  # a page model that renders without a template of its own
            continue
        compiled.append(name)
    return compiled


def release_connections():
    """Close the database and Redis connections this process holds (a process that forks next: its children must
    open their own, never write to the parent's sockets). The next use opens new ones."""
    if not apps.ready:  # not this site (see warm): it opened none
        return
    connections.close_all()
    caches.close_all()
    forget_connections()
