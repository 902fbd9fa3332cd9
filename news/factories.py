"""Factories for tests: the news listing, news items and events."""

import datetime

import factory
import wagtail_factories

from .models import NewsIndexPage, NewsPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "News and events"
    slug = "news"

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Sample news item {n}")
    date = datetime.date(2026, 11, 2)
    summary = "A sample news item used in tests."

    class Meta:
        model = NewsPage
