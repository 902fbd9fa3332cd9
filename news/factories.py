"""Factories for tests: the news listing and news items or events."""

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
    kind = NewsPage.Kind.NEWS
    date = datetime.date(2026, 11, 20)
    summary = "A sample news item used in tests."

    class Meta:
        model = NewsPage

    class Params:
        event = factory.Trait(
            kind=NewsPage.Kind.EVENT,
            place="Dakar, Senegal",
            end_date=factory.LazyAttribute(lambda item: item.date + datetime.timedelta(days=2)),
        )
