"""Factories for tests: the news listing and its news items and events."""

import datetime

import factory
import wagtail_factories

from .models import NewsIndexPage, NewsPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "News and events"

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Sample news item {n}")
    date = factory.LazyFunction(datetime.date.today)
    summary = "A sample news item used in tests."

    class Meta:
        model = NewsPage

    class Params:
        event = factory.Trait(
            kind=NewsPage.Kind.EVENT,
            place="Dakar, Senegal",
            end_date=factory.LazyAttribute(lambda item: item.date + datetime.timedelta(days=2)),
        )
