"""Factories for tests: a home page (the root of one language's tree) and the about page."""

import factory
import wagtail_factories

from .models import AboutPage, HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "South–South Exchange"
    slug = factory.Sequence(lambda n: f"home-{n}")
    intro = "A sample home page used in tests."

    class Meta:
        model = HomePage


class AboutPageFactory(wagtail_factories.PageFactory):
    title = "About the programme"
    slug = "about"
    intro = "A sample about page used in tests."

    class Meta:
        model = AboutPage
