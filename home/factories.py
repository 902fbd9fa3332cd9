"""Factories for tests: a home page (the root of one language's tree) and an about page."""

import factory
import wagtail_factories

from .models import AboutPage, HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Home {n}")

    class Meta:
        model = HomePage


class AboutPageFactory(wagtail_factories.PageFactory):
    title = "About the programme"
    intro = "What the programme does."

    class Meta:
        model = AboutPage
