"""``/sitemap.xml``: every live, public page of the site in every language, each with its translations as
``hreflang`` alternates and the default language's version as ``x-default``.

Wagtail's own sitemap lists the tree of the site's root page only, which is one language (Wagtail pull request
12973, which would add alternates, is still open); this one starts from every translation of the root page.
"""

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from core.seo import absolute_url, language_order, site_language_trees


class TranslatedPagesSitemap(Sitemap):
    def items(self):
        # Generic pages, not ``.specific()``: an address, a date and a language are all a sitemap entry needs,
        # and they come in one query instead of one per page type (and one per page for its locale).
        return (
            Page.objects.live()
            .public()
            .filter(site_language_trees(self.request))
            .select_related("locale")
            .order_by("path")
        )

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        # Every language version of this batch's pages, one query: translations share a translation key.
        versions = {}
        for version in (
            Page.objects.live()
            .public()
            .filter(translation_key__in={item.translation_key for item in pages})
            .select_related("locale")
        ):
            versions.setdefault(version.translation_key, {})[version.locale.language_code] = absolute_url(
                self.request, version
            )
        urls = []
        for item in pages:
            translations = versions.get(item.translation_key, {})
            alternates = [
                {"lang_code": code, "location": translations[code]} for code in language_order() if code in translations
            ]
            if settings.LANGUAGE_CODE in translations:
                alternates.append({"lang_code": "x-default", "location": translations[settings.LANGUAGE_CODE]})
            urls.append(
                {
                    "location": translations.get(item.locale.language_code) or absolute_url(self.request, item),
                    "lastmod": self.lastmod(item),
                    "alternates": alternates if len(translations) > 1 else [],
                }
            )
        lastmods = [url.get("lastmod") for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls
