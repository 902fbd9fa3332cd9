"""The Atom feed of news items and events, one per language."""

import datetime

from django.utils.translation import gettext

from core.feeds import LanguagePageFeed
from core.seo import site_name

from .models import NewsPage


class NewsFeed(LanguagePageFeed):
    model = NewsPage

    def title(self):
        return f"{gettext('News and events')} · {site_name()}"

    def subtitle(self):
        return gettext("Training workshops, expert forum meetings and programme news.")

    def pages(self, request):
        return super().pages(request).order_by("-date", "-pk")

    def item_pubdate(self, item):
        # An event is listed under its start date, as on the news page.
        return datetime.datetime.combine(item.date, datetime.time(), tzinfo=datetime.UTC)
