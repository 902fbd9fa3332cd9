"""The experts directory and the centres directory: public listings of the handbook's reference data, in every
language, with the practice listing's filters, and one page per expert and per centre.

They are routes, not page types: experts and centres are snippets (one set of rows for every language), so a page
per language would hold nothing an editor writes and would need translating and moderating for nothing. The URL of
a profile carries the row's translation key, the same in every language and not guessable from a count.

Every expert shown goes through ``Expert.objects.visible_to(request.user)``; a profile the reader may not see is
answered like one that does not exist (404), so its existence is not revealed either. The responses vary with the
reader's session and are never stored by a shared cache.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from core.languages import active_language, collation_key, in_active_language
from core.pagination import paginate

from .models import CaseStudyPage, CentreOfExcellence, Expert
from .models.filters import DirectoryFilters, ExpertFilters
from .models.taxonomy import localized_terms

PER_PAGE = 24


def private(view):
    """What the reader's session decides is theirs only: vary on it, never keep it in a shared cache."""
    return require_GET(vary_on_cookie(cache_control(private=True)(view)))


def default_rows(model):
    """Pages link to the default-language rows: they carry the links to terms, countries and experts. Published
    rows only: a draft is not the reader's."""
    return model.objects.published().filter(locale__language_code=settings.LANGUAGE_CODE)


def with_translations(rows, queryset):
    """Attach to each default-language row its translation in the reader's language (``.shown``), sorted as the
    reader's language sorts the names shown."""
    shown = {row.translation_key: row for row in in_active_language(queryset, [r.translation_key for r in rows])}
    for row in rows:
        row.shown = shown.get(row.translation_key, row)
    return sorted(rows, key=lambda row: collation_key(row.shown.name))


def linked_practices(relation, key):
    """The live practices in the reader's language that link to the object with translation key ``key``."""
    return (
        CaseStudyPage.objects.live()
        .filter(locale__language_code=active_language(), **{f"{relation}__translation_key": key})
        .distinct()
        .order_by("title")
    )


@private
def expert_directory(request):
    experts = default_rows(Expert).visible_to(request.user)
    filters = ExpertFilters(request, experts)
    filters.count(experts)
    rows = list(filters.apply(experts).select_related("country"))
    page = paginate(request, with_translations(rows, Expert.objects.visible_to(request.user)), PER_PAGE)
    return render(
        request,
        "handbook/directory/expert_directory.html",
        {"filters": filters, "experts": page, "paginator": page.paginator, "directory": "experts"},
    )


@private
def expert_profile(request, key):
    expert = default_rows(Expert).visible_to(request.user).select_related("country").filter(translation_key=key)
    expert = expert.first()
    if expert is None:
        raise Http404
    (expert,) = with_translations([expert], Expert.objects.visible_to(request.user))
    centres = in_active_language(
        CentreOfExcellence.objects.published(), expert.centres.values("translation_key"), ["name"]
    )
    context = {
        "expert": expert,
        "pillars": localized_terms(request, expert.pillars.all()),
        "themes": localized_terms(request, expert.themes.all()),
        "target_groups": localized_terms(request, expert.target_groups.all()),
        "practices": linked_practices("experts", key),
        "centres": centres,
        "directory": "experts",
    }
    return render(request, "handbook/directory/expert_profile.html", context)


@private
def centre_directory(request):
    filters = DirectoryFilters(request)
    centres = default_rows(CentreOfExcellence)
    filters.count(centres)
    rows = list(filters.apply(centres).select_related("country"))
    page = paginate(request, with_translations(rows, CentreOfExcellence.objects.published()), PER_PAGE)
    return render(
        request,
        "handbook/directory/centre_directory.html",
        {"filters": filters, "centres": page, "paginator": page.paginator, "directory": "centres"},
    )


@private
def centre_profile(request, key):
    centre = default_rows(CentreOfExcellence).select_related("country").filter(translation_key=key).first()
    if centre is None:
        raise Http404
    (centre,) = with_translations([centre], CentreOfExcellence.objects.published())
    experts = centre.experts.visible_to(request.user).select_related("country")
    context = {
        "centre": centre,
        "pillars": localized_terms(request, centre.pillars.all()),
        "themes": localized_terms(request, centre.themes.all()),
        "experts": with_translations(list(experts), Expert.objects.visible_to(request.user)),
        "practices": linked_practices("centres", key),
        "directory": "centres",
    }
    return render(request, "handbook/directory/centre_profile.html", context)


# Under the language prefix (config/urls.py), before Wagtail's catch-all.
urlpatterns = [
    path("experts/", expert_directory, name="expert_directory"),
    path("experts/<uuid:key>/", expert_profile, name="expert_profile"),
    path("centres/", centre_directory, name="centre_directory"),
    path("centres/<uuid:key>/", centre_profile, name="centre_profile"),
]


class DirectorySitemap(Sitemap):
    """The two directories and every public profile, in every language (anonymous readers' view: a sitemap is
    public, so members' and staff's profiles are never in it)."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        experts = default_rows(Expert).public().order_by("pk").values_list("translation_key", flat=True)
        centres = default_rows(CentreOfExcellence).order_by("pk").values_list("translation_key", flat=True)
        return [
            ("expert_directory", None),
            ("centre_directory", None),
            *[("expert_profile", key) for key in experts],
            *[("centre_profile", key) for key in centres],
        ]

    def location(self, item):
        name, key = item
        return reverse(name, args=[key] if key else [])
