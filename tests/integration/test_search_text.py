"""What a reader types besides a practice's own words finds it on the real engine, in every language: the names
of its countries (CLDR), its region and topic labels in the page's language, and the focal points and centres the
page shows, but nothing of an expert the page does not publish.

The module builds one practice with the factories (a place and labels that no demo practice uses), publishes it in
English and Arabic and, by wagtail-localize's copy, in the four other languages, and each test searches
/<lang>/search/ for it (the tests only read: building it once per module is Django's ``setUpTestData``).
"""

import itertools

import pytest
from wagtail.models import Locale, Page

from core.languages import country_name
from handbook.factories import CaseStudyPageFactory, CentreFactory, ExpertFactory, TermFactory
from handbook.models import CaseStudyIndexPage, Country, Term

from .test_search import Engine, result_ids

pytestmark = [pytest.mark.django_db, pytest.mark.engine]
serial = itertools.count()
LANGUAGES = ["en", "ar", "fr", "es", "ru", "zh-hans"]
COUNTRY, PARTNER = "BT", "UY"  # Bhutan and Uruguay: no demo practice is there
THEME = {
    "en": "Okapi stewardship",
    "ar": "رعاية حيوان الأوكابي",
    "fr": "Gérance des okapis",
    "es": "Custodia de okapis",
    "ru": "Опека над окапи",
    "zh-hans": "霍加狓守护",
}


@pytest.fixture(scope="module")
def practice_ids(module_transaction, django_db_blocker):
    """One practice in every language, linked to a new theme translated into each language, a new focal point and
    a new centre, built once for the module (twelve publications); taken out of every language's index when the
    module ends (its rows go with the module's transaction)."""
    with django_db_blocker.unblock():
        pages = publish_practice()
        engine = Engine()
        for language in LANGUAGES:
            backend = engine.backend(language)
            backend.es.indices.refresh(index=backend.get_index_for_model(Page).name)
    yield {language: page.pk for language, page in pages.items()}
    # The engine's delete first replays updates it missed, which reads the database: the module's last test may
    # have closed its own access already (as when only the engine tests run).
    with django_db_blocker.unblock():
        for language, page in pages.items():
            engine.backend(language).delete(page)


@pytest.fixture
def practice(practice_ids, db):
    """The module's practice, by language (read afresh: a test never sees another's copy in memory)."""
    return {language: Page.objects.get(pk=pk).specific for language, pk in practice_ids.items()}


def publish_practice():
    english = Locale.objects.get(language_code="en")
    africa = Term.objects.get(vocabulary="region", code="africa", locale=english)
    country, _ = Country.objects.get_or_create(code=COUNTRY, defaults={"region": africa})
    partner, _ = Country.objects.get_or_create(code=PARTNER, defaults={"region": africa})
    theme = TermFactory(vocabulary="theme", code=f"okapi-{next(serial)}", name=THEME["en"], locale=english)
    for language in LANGUAGES[1:]:
        TermFactory(
            vocabulary="theme",
            code=theme.code,
            name=THEME[language],
            locale=Locale.objects.get(language_code=language),
            translation_key=theme.translation_key,
        )
    page = CaseStudyPageFactory.build(
        title="Mountain rangers' dialogue",
        summary="Rangers and villagers meet every season to talk.",
        locale=english,
        slug=f"search-text-{next(serial)}",
        implementing_country=country,
    )
    page.partner_countries = [partner]
    page.themes = [theme]
    page.experts = [
        ExpertFactory(
            name="Zephyrine Quillfeather",
            role="Focal point",
            email="marmalade.hidden@example.org",
            bio="Collector of porcelain teapots.",
            locale=english,
        )
    ]
    page.centres = [CentreFactory(name="Thimphu Peacebuilding Institute", locale=english)]
    CaseStudyIndexPage.objects.get(locale=english).add_child(instance=page)
    page.save_revision().publish()
    pages = {"en": page}
    for language in LANGUAGES[1:]:
        translated = page.copy_for_translation(Locale.objects.get(language_code=language), copy_parents=True)
        translated.save_revision().publish()
        pages[language] = translated
    return pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_country_name_in_the_pages_language_finds_the_practice(client, practice, language):
    page = practice[language]
    for code in (COUNTRY, PARTNER):
        name = country_name(code, language)
        assert name not in page.title + page.summary
        assert page.pk in result_ids(client, f"/{language}/search/?q={name}"), (language, name)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_theme_label_in_the_pages_language_finds_the_practice(client, practice, language):
    assert practice[language].pk in result_ids(client, f"/{language}/search/?q={THEME[language]}")


def test_the_region_label_finds_the_practice(client, practice):
    arabic_region = Term.objects.get(vocabulary="region", code="africa", locale__language_code="ar").name
    assert practice["ar"].pk in result_ids(client, f"/ar/search/?q={arabic_region} {country_name(COUNTRY, 'ar')}")


def test_the_focal_point_and_centre_the_page_shows_find_it(client, practice):
    for language in ("en", "ar"):
        assert practice[language].pk in result_ids(client, f"/{language}/search/?q=Quillfeather")
        assert practice[language].pk in result_ids(client, f"/{language}/search/?q=Thimphu Peacebuilding")


def test_what_the_page_does_not_publish_about_an_expert_is_not_indexed(client, practice):
    for language in ("en", "ar"):
        assert practice[language].pk not in result_ids(client, f"/{language}/search/?q=marmalade.hidden")
        assert practice[language].pk not in result_ids(client, f"/{language}/search/?q=porcelain teapots")
