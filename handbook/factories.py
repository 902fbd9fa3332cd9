"""Factories for tests: taxonomy terms, countries, people and practice pages."""

import factory
import wagtail_factories
from wagtail.models import Locale

from .models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    CentreOfExcellence,
    ChapterPage,
    Country,
    CoveragePage,
    Expert,
    HandbookPage,
    Term,
)
from .models.people import Visibility


class LocaleFactory(factory.django.DjangoModelFactory):
    language_code = "en"

    class Meta:
        model = Locale
        django_get_or_create = ["language_code"]


class TermFactory(factory.django.DjangoModelFactory):
    vocabulary = "theme"
    code = factory.Sequence(lambda n: f"term-{n}")
    name = factory.Sequence(lambda n: f"Term {n}")
    locale = factory.SubFactory(LocaleFactory)

    class Meta:
        model = Term


class CountryFactory(factory.django.DjangoModelFactory):
    code = factory.Iterator(["SN", "KE", "NG", "GH", "ET", "TZ", "UG", "ZA", "ML", "NE"])
    region = factory.SubFactory(TermFactory, vocabulary="region", code="africa", name="Africa")

    class Meta:
        model = Country
        django_get_or_create = ["code"]


class ExpertFactory(factory.django.DjangoModelFactory):
    """An expert who chose a public profile (``visibility=...`` for another choice; no consent record is made:
    tests of consent call ``Expert.record_consent``)."""

    name = factory.Sequence(lambda n: f"Sample Expert {n}")
    role = "Focal point"
    locale = factory.SubFactory(LocaleFactory)
    visibility = Visibility.PUBLIC

    class Meta:
        model = Expert


class CentreFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Sample Centre {n}")
    locale = factory.SubFactory(LocaleFactory)

    class Meta:
        model = CentreOfExcellence


class HandbookPageFactory(wagtail_factories.PageFactory):
    title = "Handbook of Good Practices"

    class Meta:
        model = HandbookPage


class CaseStudyIndexPageFactory(wagtail_factories.PageFactory):
    title = "Good practices"

    class Meta:
        model = CaseStudyIndexPage


class ChapterPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Chapter {n}")

    class Meta:
        model = ChapterPage


class CaseStudyPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Sample practice {n}")
    summary = "A sample practice used in tests."
    safeguards_legal_basis = "<p>The practice rests on the national law on terrorism, read with human rights law.</p>"
    safeguards_do_no_harm = "<p>No participant can be identified or endangered by this page.</p>"
    safeguards_data_protection = "<p>No personal data is kept beyond attendance lists.</p>"
    safeguards_gender = "<p>Women took part in every session.</p>"
    implementing_country = factory.SubFactory(CountryFactory)

    class Meta:
        model = CaseStudyPage


class CoveragePageFactory(wagtail_factories.PageFactory):
    title = "Coverage"

    class Meta:
        model = CoveragePage
