"""Wagtail's view-restriction check of a served page (its ``on_serve_page`` hook, on every request) in one query
rather than two, or in none when the query that found the page already answered it."""

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from wagtail.models import Page, PageViewRestriction


def restricted():
    """For ``annotate``/``filter`` on pages: a view restriction applies to the page or one of its ancestors (what
    Wagtail's ``public()`` excludes)."""
    return Exists(PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path"))))


def with_restrictions_known(pages):
    """``pages`` with what ``get_view_restrictions`` needs to answer without a query: whether a restriction applies,
    and whether the page or an ancestor is an alias (whose restrictions are its source's, elsewhere in the tree)."""
    aliased = Exists(Page.objects.filter(StartsWith(OuterRef("path"), F("path")), alias_of__isnull=False))
    return pages.annotate(has_view_restrictions=restricted(), under_alias=aliased)


class ViewRestrictionsMixin:
    """For page models: ``get_view_restrictions`` without first querying the ancestors (their tree paths are the
    prefixes of the page's own), and without any query when the page was read by ``with_restrictions_known`` and
    nothing restricts it. Wagtail's rule is kept: an alias (the page or an ancestor) has its source page's
    restrictions, not its own, and aliases always point at a page that is not an alias."""

    def get_view_restrictions(self):
        if getattr(self, "has_view_restrictions", None) is False and getattr(self, "under_alias", None) is False:
            return PageViewRestriction.objects.none()
        if not self.path:
            return super().get_view_restrictions()
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        sources = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of")
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__in=sources)
        )
