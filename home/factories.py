"""Factories for tests: the home page and the about page."""

import wagtail_factories

from .models import AboutPage, HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "South–South Exchange"
    slug = "home"
    intro = "Good practices from the Global South."

    class Meta:
        model = HomePage


class AboutPageFactory(wagtail_factories.PageFactory):
    title = "About the programme"
    slug = "about"
    intro = "What the programme does, and for whom."

    class Meta:
        model = AboutPage
