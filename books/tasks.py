"""The background task that renders PDF editions (``django-tasks``: the ``books`` backend, see settings)."""

from django_tasks import task
from wagtail.models import Page

from .editions import refresh_edition

BACKEND = "books"


@task(backend=BACKEND, queue_name=BACKEND)
def render_edition(page_id, force=False):
    """Render the page's PDF edition if what it shows changed since the last one (a page gone: nothing to do)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return None
    edition = refresh_edition(page, force=force)
    return edition.pk if edition else None
