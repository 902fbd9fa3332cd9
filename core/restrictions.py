"""Wagtail's view-restriction check of a served page in one query rather than two."""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction


class ViewRestrictionsMixin:
    """For page models: ``get_view_restrictions`` (what Wagtail's ``on_serve_page`` hook checks on every request)
    without first querying the ancestors: their tree paths are the prefixes of the page's own. Wagtail's rule is
    kept: an alias (the page or an ancestor) has its source page's restrictions, not its own, and aliases always
    point at a page that is not an alias."""

    def get_view_restrictions(self):
        if not self.path:
            return super().get_view_restrictions()
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        sources = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of")
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__in=sources)
        )
