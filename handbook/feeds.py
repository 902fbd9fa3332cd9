"""The Atom feed of newly published practice case studies, one per language."""

from django.utils.translation import gettext

from core.feeds import LanguagePageFeed
from core.seo import site_name

from .models import CaseStudyPage


class PracticesFeed(LanguagePageFeed):
    model = CaseStudyPage

    def title(self):
        return f"{gettext('New good practices')} · {site_name()}"

    def subtitle(self):
        return gettext("Practice case studies as the programme publishes them.")

    def pages(self, request):
        return super().pages(request).order_by("-first_published_at", "-pk")

    def item_pubdate(self, item):
        return item.first_published_at
