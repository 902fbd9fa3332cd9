"""What a reader of each language gets, over HTTP: a translated page in its language; an untranslated one in its
original, marked with the original's ``lang`` inside the reader's document, with a notice in the reader's language
and links to the versions that exist; menus and listings that show every section and item; hreflang alternates for
real translations only; a language switcher that marks the languages the page does not exist in.

The sample site is in English and Arabic; the French translations here go through wagtail-localize as a
translator's would.
"""

import re
from html.parser import HTMLParser

import pytest

from handbook.models import CaseStudyIndexPage, CaseStudyPage, HandbookPage
from home.models import HomePage
from tests.sample_site import translate

pytestmark = pytest.mark.django_db

FRENCH = {
    "South–South Exchange": "Échange Sud-Sud",
    "Good practices from the Global South.": "Bonnes pratiques des pays du Sud.",
    "Handbook of Good Practices": "Recueil de bonnes pratiques",
    "Good practices": "Bonnes pratiques",
    "Community dialogue forums": "Forums de dialogue communautaire",
}


class Elements(HTMLParser):
    """Every start tag of a document as ``(tag, attributes, text up to the next tag)``."""

    def __init__(self, html):
        super().__init__()
        self.items = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.items.append([tag, dict(attrs), ""])

    def handle_data(self, data):
        if self.items:
            self.items[-1][2] += data

    def find(self, tag, **attrs):
        return [
            (found, text.strip())
            for name, found, text in self.items
            if name == tag and all(found.get(key.rstrip("_")) == value for key, value in attrs.items())
        ]


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return html, Elements(html)


def translate_into_french(*pages):
    """wagtail-localize publishes a new translation when the transaction commits, which a test's never does:
    the moderator's publication is done here."""
    for page in pages:
        translate(page.specific, "fr", FRENCH).specific.save_revision().publish()


def english(model, slug=None):
    pages = model.objects.filter(locale__language_code="en")
    return pages.get(slug=slug) if slug else pages.get()


def main_element(doc):
    return doc.find("main")[0][0]


def test_a_page_translated_into_french_is_served_in_french(client):
    translate_into_french(english(HomePage), english(HandbookPage))
    html, doc = get(client, "/fr/handbook/")
    assert doc.find("html")[0][0]["lang"] == "fr"
    assert "lang" not in main_element(doc)
    assert doc.find("h1")[0][1] == "Recueil de bonnes pratiques"
    assert "fallback-notice" not in html


def test_an_untranslated_page_under_ru_is_the_english_original_marked_english_with_a_notice_in_russian(client):
    html, doc = get(client, "/ru/handbook/")
    assert doc.find("html")[0][0]["lang"] == "ru"
    assert main_element(doc)["lang"] == "en"
    assert main_element(doc)["dir"] == "ltr"
    assert doc.find("h1")[0][1] == "Handbook of Good Practices"
    notice = html[html.index('class="container fallback-notice"') : html.index("</aside>")]
    assert "Эта страница пока не переведена (язык: русский); показан текст на языке оригинала (английский)." in notice
    links = Elements(notice).find("a")
    assert [(link["hreflang"], link["href"]) for link, _text in links] == [
        ("en", "/en/handbook/"),
        ("ar", "/ar/handbook/"),
    ]


def test_an_arabic_original_shown_to_a_french_reader_is_marked_right_to_left(client):
    """The direction follows the original: an Arabic-only page keeps ``dir="rtl"`` inside a French document."""
    arabic_home = HomePage.objects.get(locale__language_code="ar")
    arabic_only = HandbookPage(title="صفحة بالعربية فقط", slug="arabic-only", locale=arabic_home.locale)
    arabic_home.add_child(instance=arabic_only)
    arabic_only.save_revision().publish()
    translate_into_french(english(HomePage))
    _html, doc = get(client, "/fr/arabic-only/")
    assert doc.find("html")[0][0]["lang"] == "fr"
    assert (main_element(doc)["lang"], main_element(doc)["dir"]) == ("ar", "rtl")


def test_a_page_missing_from_a_translated_tree_is_served_from_the_original_not_a_404(client):
    translate_into_french(english(HomePage), english(CaseStudyIndexPage))
    _html, doc = get(client, "/fr/practices/prison-mentoring/")
    assert doc.find("html")[0][0]["lang"] == "fr"
    assert main_element(doc)["lang"] == "en"
    assert doc.find("h1")[0][1] == "Prison mentoring programme"


def test_the_menu_in_a_language_without_translations_lists_every_section(client):
    _html, doc = get(client, "/ru/")
    menu = [(link["href"], link.get("lang"), text) for link, text in doc.find("a") if link["href"].startswith("/ru/")]
    assert ("/ru/handbook/", "en", "Handbook of Good Practices") in menu
    assert ("/ru/practices/", "en", "Good practices") in menu
    assert ("/ru/news/", "en", "News and events") in menu
    assert ("/ru/about/", "en", "About the programme") in menu


def test_the_menu_mixes_translated_and_original_sections_in_the_original_order(client):
    translate_into_french(english(HomePage), english(CaseStudyIndexPage))
    html, _doc = get(client, "/fr/")
    nav = Elements(html[html.index('class="main-nav"') : html.index('class="main-nav__search"')])
    links = [(link.get("lang"), link.get("dir"), text) for link, text in nav.find("a")][1:]  # after "Home"
    assert links[:4] == [
        ("en", "ltr", "Handbook of Good Practices"),
        (None, None, "Bonnes pratiques"),
        ("en", "ltr", "News and events"),
        ("en", "ltr", "About the programme"),
    ]
    # The directories and the exchange request follow the page sections, in the reader's language.
    assert links[4:] == [
        (None, None, "Experts"),
        (None, None, "Centres d'excellence"),
        (None, None, "Demander un échange"),
    ]


def test_a_french_listing_shows_every_practice_the_untranslated_ones_marked_english(client):
    translate_into_french(english(HomePage), english(CaseStudyIndexPage))
    translate_into_french(english(CaseStudyPage, "community-dialogue"))
    html, doc = get(client, "/fr/practices/")
    assert main_element(doc).get("lang") is None
    cards = re.findall(r'<article class="card"([^>]*)>\s*<h3 class="card__title"><a [^>]*>([^<]+)</a>', html)
    assert sorted(cards) == [
        ("", "Forums de dialogue communautaire"),
        (' lang="en" dir="ltr"', "Prison mentoring programme"),
        (' lang="en" dir="ltr"', "School resilience clubs"),
    ]


def test_hreflang_lists_only_real_translations(client):
    _html, doc = get(client, "/ru/handbook/")
    assert sorted(link["hreflang"] for link, _ in doc.find("link", rel="alternate") if "hreflang" in link) == [
        "ar",
        "en",
        "x-default",
    ]
    translate_into_french(english(HomePage), english(HandbookPage))
    _html, doc = get(client, "/fr/handbook/")
    assert sorted(link["hreflang"] for link, _ in doc.find("link", rel="alternate") if "hreflang" in link) == [
        "ar",
        "en",
        "fr",
        "x-default",
    ]


def test_the_switcher_marks_the_languages_the_page_does_not_exist_in(client):
    translate_into_french(english(HomePage), english(HandbookPage))
    html, _doc = get(client, "/en/handbook/")
    switcher = Elements(html[html.index('class="language-switcher"') : html.index("</nav>")])
    links = {link["hreflang"]: link for link, _text in switcher.find("a")}
    assert [code for code, link in links.items() if link.get("class") != "is-untranslated"] == ["en", "ar", "fr"]
    assert [code for code, link in links.items() if link.get("class") == "is-untranslated"] == ["es", "ru", "zh-hans"]
    # A language without the page leads to the original under that language's prefix (shown with the notice).
    assert links["ru"]["href"] == "/ru/handbook/"
    assert links["fr"]["href"] == "/fr/handbook/"
    assert (
        "(not yet translated)" in html[html.index('hreflang="ru"') : html.index("</li>", html.index('hreflang="ru"'))]
    )


def test_the_switcher_and_the_menu_follow_each_change_on_the_next_request(client):
    """The chrome's pages are kept between requests while nothing in the page tree changes (core/fallback.py): a
    new translation, an unpublished one and a renamed section show on the very next request."""

    def french_link():
        html, _doc = get(client, "/en/handbook/")
        switcher = Elements(html[html.index('class="language-switcher"') : html.index("</nav>")])
        return next(link for link, _text in switcher.find("a") if link["hreflang"] == "fr"), html

    for _ in range(2):  # the second request is answered from what the first kept
        assert french_link()[0].get("class") == "is-untranslated"
    translate_into_french(english(HomePage), english(HandbookPage))
    assert french_link()[0].get("class") is None
    HandbookPage.objects.get(locale__language_code="fr").unpublish()
    assert french_link()[0].get("class") == "is-untranslated"
    handbook = english(HandbookPage)
    handbook.title = "The renamed handbook"
    handbook.save_revision().publish()
    _link, html = french_link()
    nav = html[html.index('class="main-nav"') :]
    assert "The renamed handbook" in nav[: nav.index("</nav>")]


def test_a_new_address_shows_in_the_switcher_the_menu_and_the_alternates_on_the_next_request(client):
    """The chrome keeps its pages' addresses with them while the page tree is unchanged (core/fallback.py): a
    translation given a new slug is linked at its new address on the very next request, in the language switcher,
    the head's alternates and (read in French) the main menu."""
    translate_into_french(english(HomePage), english(HandbookPage))

    def links(url):
        _html, doc = get(client, url)
        switcher = {link["hreflang"]: link["href"] for link, _text in doc.find("a") if "hreflang" in link}
        alternates = {link["hreflang"]: link["href"] for link, _ in doc.find("link", rel="alternate")}
        menu = [link["href"] for link, text in doc.find("a") if text == FRENCH["Handbook of Good Practices"]]
        return switcher, alternates, menu

    for _ in range(2):  # the second request is answered from what the first kept
        switcher, alternates, _menu = links("/en/handbook/")
        assert switcher["fr"] == "/fr/handbook/"
        assert alternates["fr"].endswith("/fr/handbook/")
    assert links("/fr/handbook/")[2] == ["/fr/handbook/"]
    french = HandbookPage.objects.get(locale__language_code="fr")
    french.slug = "recueil"
    french.save_revision().publish()
    switcher, alternates, _menu = links("/en/handbook/")
    assert switcher["fr"] == "/fr/recueil/"
    assert alternates["fr"].endswith("/fr/recueil/")
    assert links("/fr/recueil/")[2] == ["/fr/recueil/"]


def test_the_footer_is_in_each_readers_language_after_another_language_was_served(client):
    """The footer and the icons are rendered once per language and kept (core/templatetags/site_tags.py
    ``fixed_fragment``): each language gets its own, with its own words and addresses."""
    footers = {}
    for language in ("en", "ar", "fr", "en"):
        html, _doc = get(client, f"/{language}/handbook/")
        footers[language] = html[html.index('<footer class="site-footer">') : html.index("</footer>")]
        assert f'href="/{language}/glossary/"' in footers[language]
    assert "Glossary of terms" in footers["en"]
    assert "مسرد المصطلحات" in footers["ar"]
    assert "Glossaire des termes" in footers["fr"]
