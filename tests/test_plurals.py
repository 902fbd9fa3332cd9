"""Counts read as each language counts them, and a word with two meanings gets the right one.

Arabic has six plural forms and drops the numeral for zero, one and two ("لا توجد نتائج", "نتيجة واحدة",
"نتيجتان"); Russian has three, French two (with 0 singular), Chinese one. Through the search page (Wagtail's
database backend) and the practice listing, on practices each test publishes; and the admin's "name" label, which
is a person's name (Russian «Имя», Chinese 姓名) for an expert but an institution's (Название, 名称) for a centre.
"""

import itertools
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from handbook.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory
from handbook.models import CaseStudyIndexPage, Country
from home.models import HomePage
from search.views import PER_PAGE

pytestmark = pytest.mark.django_db
serial = itertools.count()


@pytest.fixture(autouse=True)
def database_backend(settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}


def listing_in(language):
    """The sample site's practice listing in ``language``, translated (with its home page) if it is not yet."""
    locale = Locale.objects.get(language_code=language)
    listing = CaseStudyIndexPage.objects.filter(locale=locale).first()
    if listing is None:
        english = CaseStudyIndexPage.objects.get(locale__language_code="en")
        home = english.get_parent().specific
        if not HomePage.objects.filter(translation_key=home.translation_key, locale=locale).exists():
            home.copy_for_translation(locale).save_revision().publish()
        listing = english.copy_for_translation(locale)
        listing.save_revision().publish()
    return listing


def publish_practices(parent, count, summary):
    for _ in range(count):
        page = CaseStudyPageFactory.build(
            title=f"Practice {next(serial)}",
            summary=summary,
            locale=parent.locale,
            slug=f"plural-practice-{next(serial)}",
            implementing_country=Country.objects.get(code="SN"),
        )
        # Live without a revision: what is counted is the same, and 100 publications would cost a minute.
        parent.add_child(instance=page)
        assert page.live


def status_line(client, url, css_class):
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    lines = re.findall(rf'<(p|h2)[^>]*class="{css_class}"[^>]*>(.*?)</\1>', body, re.S)
    assert len(lines) == 1, lines
    return " ".join(unescape(strip_tags(lines[0][1])).split()), body


# Practice i of 100 carries the words of every count above i: "kudu" is in one practice, "okapi" in all 100.
ARABIC_COUNTS = [
    ("quagga", 0, "لا توجد نتائج للبحث عن «quagga»"),
    ("kudu", 1, "نتيجة واحدة للبحث عن «kudu»"),
    ("eland", 2, "نتيجتان للبحث عن «eland»"),
    ("impala", 3, "3 نتائج للبحث عن «impala»"),
    ("oryx", 11, "11 نتيجة للبحث عن «oryx»"),
    ("okapi", 100, "100 نتيجة للبحث عن «okapi»"),
]


def test_arabic_search_counts_read_as_arabic_counts(client):
    listing = listing_in("ar")
    published = 0
    for _word, count, _text in ARABIC_COUNTS[1:]:
        words = " ".join(word for word, at_least, _text in ARABIC_COUNTS if at_least >= count)
        publish_practices(listing, count - published, f"Wildlife patrols: {words}.")
        published = count
    for word, count, expected in ARABIC_COUNTS:
        line, body = status_line(client, f"/ar/search/?q={word}", "search-results__count")
        assert line == expected, (count, line)
        assert len(re.findall(r'class="result" data-page-id', body)) == min(count, PER_PAGE)  # the count is true
    # With nothing found, the count says so once; what follows is only advice.
    _line, body = status_line(client, "/ar/search/?q=quagga", "search-results__count")
    assert body.count("لا توجد نتائج") == 1
    assert "جرّب كلمات أقل أو مختلفة، أو أزل أحد عوامل التصفية." in body


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", {1: "1 результат по запросу", 2: "2 результата по запросу", 5: "5 результатов по запросу"}),
        ("fr", {0: "0 résultat pour", 1: "1 résultat pour", 2: "2 résultats pour", 5: "5 résultats pour"}),
    ],
)
def test_russian_and_french_search_counts(client, language, expected):
    listing = listing_in(language)
    words = {0: "quagga", 1: "kudu", 2: "eland", 5: "impala"}
    for count, word in words.items():
        publish_practices(listing, count, f"Wildlife patrols: {word}.")
    for count, text in expected.items():
        line, _body = status_line(client, f"/{language}/search/?q={words[count]}", "search-results__count")
        assert line.startswith(text), (count, line)


@pytest.fixture
def arabic_listing():
    """A practice listing of its own, in English and (its translation) in Arabic, with no practice yet."""
    english = Locale.objects.get(language_code="en")
    listing = CaseStudyIndexPageFactory(
        parent=HomePage.objects.get(locale=english), title="Plural listing", slug=f"plural-listing-{next(serial)}"
    )
    listing.save_revision().publish()
    arabic = listing.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.save_revision().publish()
    return arabic


def test_empty_arabic_listing_says_so_once(client, arabic_listing):
    line, body = status_line(client, arabic_listing.url, "listing__count")
    assert line == "لا توجد ممارسة تطابق عوامل التصفية هذه."
    assert "0 ممارسة" not in body
    assert "لا توجد ممارسات" not in body


@pytest.mark.parametrize(("count", "expected"), [(1, "ممارسة واحدة"), (2, "ممارستان"), (3, "3 ممارسات")])
def test_arabic_listing_counts(client, arabic_listing, count, expected):
    publish_practices(arabic_listing, count, "A practice.")
    line, _body = status_line(client, arabic_listing.url, "listing__count")
    assert line == expected


def speaking(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def field_label(client, url, field):
    response = client.get(url)
    assert response.status_code == 200, url
    # A field at the form's top level is labelled by its panel's heading, one inside a group by its own label.
    match = re.search(
        rf'<label[^>]*for="id_{field}"[^>]*>(?:<span data-panel-heading-text>)?([^<]*)<', response.content.decode()
    )
    assert match, f"no label for {field} at {url}"
    return match.group(1).strip()


@pytest.mark.parametrize(
    ("language", "person", "institution"),
    [("ru", "Имя", "Название"), ("zh-hans", "姓名", "名称"), ("en", "Name", "Name")],
)
def test_name_label_of_a_person_and_of_an_institution(client, users, language, person, institution):
    client.force_login(speaking(users["admin"], language))
    assert field_label(client, reverse("wagtailsnippets_handbook_expert:add"), "name") == person
    assert field_label(client, reverse("wagtailsnippets_handbook_centreofexcellence:add"), "name") == institution


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("ar", "جرى اختصار بحثك إلى أول 200 حرف."),
        ("ru", "Ваш запрос сокращен до первых 200 символов."),
        ("en", "Your search was shortened to its first 200 characters."),
    ],
)
def test_long_search_notice_counts_characters(client, language, notice):
    listing_in(language)
    body = client.get(f"/{language}/search/?q={'word ' * 60}").content.decode()
    assert notice in body
