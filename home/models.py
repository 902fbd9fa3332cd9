"""The site's front door and its About page."""

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.fallback import in_original_order, with_originals
from core.images import with_lead_images
from core.restrictions import ViewRestrictionsMixin
from handbook.models import CaseStudyPage, ChapterPage
from handbook.models.taxonomy import localized_terms
from news.models import NewsPage
from translations.permissions import LanguagePermissionsMixin


class HomePage(ViewRestrictionsMixin, LanguagePermissionsMixin, Page):
    """The home page of one language: what the programme is, featured practices, latest news, the handbook."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "handbook.HandbookPage",
        "handbook.CaseStudyIndexPage",
        "handbook.CoveragePage",
        "news.NewsIndexPage",
        "home.AboutPage",
    ]
    # The featured practices' cards name their region: the page cache purges the home pages when a term changes.
    cache_follows = ("handbook.Term", "handbook.Country")

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find a deep page with one lookup by URL path rather than one query (and one ``.specific``) per level.

        None of the section pages overrides ``route``, so this serves exactly what the level-by-level walk would.
        A path this language's tree lacks (a page not yet translated, or whose translation is not live yet) is looked
        up in the original language's tree, so ``/fr/practices/x/`` shows the original with a notice
        (``core/fallback.py``) instead of a 404. The default language's own addresses never fall back.
        """
        try:
            return self.route_in_tree(request, path_components)
        except Http404:
            # The default language's tree holds the originals: a page missing or taken offline there (unpublished,
            # expired) is gone, not shown in another language under the default language's address.
            if self.locale.language_code == settings.LANGUAGE_CODE:
                raise
        # The original is usually in the default language; a page first written in another is found there.
        homes = {home.locale.language_code: home for home in self.get_translations().select_related("locale")}
        for code, _name in settings.LANGUAGES:
            if code in homes:
                try:
                    return homes[code].specific.route_in_tree(request, path_components)
                except Http404:
                    continue
        raise Http404

    def route_in_tree(self, request, path_components):
        if len(path_components) > 1:
            url_path = self.url_path + "/".join(path_components) + "/"
            page = Page.objects.filter(url_path=url_path, path__startswith=self.path).first()
            if page is None:
                raise Http404
            return page.specific.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured = list(
            with_lead_images(with_originals(CaseStudyPage.objects.live(), self, descendants=True))
            .filter(review_stage=CaseStudyPage.ReviewStage.FEATURED)
            .select_related("implementing_country__region", "locale")
            .order_by("-last_reviewed", "title")[:3]
        )
        for card in featured:
            card.localized_region = localized_terms(request, [card.implementing_country.region])[0]
        context.update(
            featured_practices=featured,
            # Each card's language is read with it (an untranslated item is marked with its own).
            latest_news=with_originals(NewsPage.objects.live(), self, descendants=True)
            .select_related("locale")
            .order_by("-date")[:3],
            chapters=in_original_order(
                with_originals(ChapterPage.objects.live(), self, descendants=True).select_related("locale")
            ),
        )
        return context


class AboutPage(ViewRestrictionsMixin, LanguagePermissionsMixin, Page):
    """A plain content page: the programme's own description, its mandate and its results."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("about page")
