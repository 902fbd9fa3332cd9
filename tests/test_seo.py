"""What search engines, feed readers and social networks get from the site, over HTTP: the sitemap with every
language's version of each page, robots.txt, the Atom feeds per language, the head tags (canonical link, Open
Graph, Twitter card, schema.org JSON-LD, icons, feed links) and the error pages in the reader's language.

The pages are built with factories on a site of their own (``seo.example``), in English and Arabic.
"""

import copy
import datetime
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import wagtail_factories
from django.conf.urls.i18n import i18n_patterns
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction

from core.paths import ADMIN_PREFIX, GLOSSARY_PATH
from handbook.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    ChapterPageFactory,
    CountryFactory,
    HandbookPageFactory,
    LocaleFactory,
    TermFactory,
)
from home.factories import HomePageFactory
from news.factories import NewsIndexPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db

HOST = "seo.example"
ORIGIN = f"http://{HOST}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"


def boom(request):
    raise RuntimeError("a failure inside a view")


# Used by the 500 test only (``pytest.mark.urls``): a view that fails, under the language prefixes.
urlpatterns = i18n_patterns(path("boom/", boom), prefix_default_language=True)


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page, title, **fields):
    """The Arabic version of ``page``, published under its parent's Arabic version."""
    translated = page.copy_for_translation(Locale.objects.get(language_code="ar"))
    translated.title = title
    for name, value in fields.items():
        setattr(translated, name, value)
    return publish(translated)


@pytest.fixture
def client(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    return Client(HTTP_HOST=HOST, raise_request_exception=False)


@pytest.fixture(scope="module")
def built_site(module_transaction, django_db_blocker):
    """Built once for the module (some twenty publications); each test gets its own copy."""
    with django_db_blocker.unblock():
        return small_site()


@pytest.fixture
def site(built_site, db):
    return copy.deepcopy(built_site)


def small_site():
    """A small site in English and Arabic: handbook and chapter, practice listing and practice, news listing with a
    news item and an event (English only), a draft, and a news item behind a password."""
    LocaleFactory(language_code="ar")
    english = LocaleFactory(language_code="en")
    home = HomePageFactory(parent=Page.get_first_root_node(), locale=english, title="South–South Exchange")
    publish(home)
    wagtail_factories.SiteFactory(hostname=HOST, port=80, root_page=home, is_default_site=False)
    handbook = publish(HandbookPageFactory(parent=home))
    chapter = publish(
        ChapterPageFactory(
            parent=handbook,
            title="Preventing violent extremism",
            intro="How communities prevent violent extremism.",
            search_description="A chapter on prevention, in one sentence.",
        )
    )
    practices = publish(CaseStudyIndexPageFactory(parent=home, intro="<p>Practices from the <b>South</b>.</p>"))
    region = TermFactory(vocabulary="region", code="seo-region", locale=english)
    country = CountryFactory(code="QS", region=region)  # a user-assigned ISO code: no clash with real countries
    practice = publish(
        CaseStudyPageFactory(parent=practices, title="Community policing in Dakar", implementing_country=country)
    )
    news = publish(NewsIndexPageFactory(parent=home))
    item = publish(NewsPageFactory(parent=news, title="Expert forum meets", summary="The forum met in Nairobi."))
    event = publish(
        NewsPageFactory(parent=news, title="Training workshop", event=True, date=datetime.date(2026, 11, 20))
    )
    draft = NewsPageFactory(parent=news, title="Unpublished item", live=False)
    restricted = publish(NewsPageFactory(parent=news, title="Members only item"))
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x")

    arabic = {"home": translate(home, "التبادل فيما بين بلدان الجنوب")}
    arabic["handbook"] = translate(handbook, "دليل الممارسات الجيدة")
    arabic["chapter"] = translate(chapter, "منع التطرف العنيف", search_description="فصل عن الوقاية في جملة واحدة.")
    arabic["practices"] = translate(practices, "الممارسات الجيدة")
    arabic["practice"] = translate(practice, "الشرطة المجتمعية في داكار", summary="ممارسة تجريبية.")
    arabic["news"] = translate(news, "الأخبار والفعاليات")
    arabic["item"] = translate(item, "اجتماع منتدى الخبراء", summary="اجتمع المنتدى في نيروبي.")
    english = {
        "home": home,
        "handbook": handbook,
        "chapter": chapter,
        "practices": practices,
        "practice": practice,
        "news": news,
        "item": item,
        "event": event,
        "draft": draft,
        "restricted": restricted,
    }
    return {"en": english, "ar": arabic}


def absolute(page):
    return page.full_url


# --- sitemap and robots.txt -----------------------------------------------------------------------------------


def sitemap_entries(client):
    """The sitemap's page entries: the experts and centres directories' entries (routes in every language) are
    checked by ``tests/test_expert_privacy.py``, the glossary's by ``tests/test_glossary_page.py``."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - the site's own response
    entries = {}
    for url in root.iter(f"{SITEMAP}url"):
        links = url.findall(f"{XHTML}link")
        assert all(link.get("rel") == "alternate" for link in links)
        location = url.find(f"{SITEMAP}loc").text
        if re.match(rf"{re.escape(ORIGIN)}/[^/]+/(experts/|centres/|{re.escape(GLOSSARY_PATH)})", location):
            continue
        entries[location] = {link.get("hreflang"): link.get("href") for link in links}
    return entries


def test_sitemap_lists_every_live_public_page_of_each_language_with_its_translations(client, site):
    entries = sitemap_entries(client)
    en, ar = site["en"], site["ar"]

    for name, page in ar.items():
        assert absolute(page) in entries, name
        assert absolute(en[name]) in entries, name
        alternates = {"en": absolute(en[name]), "ar": absolute(page), "x-default": absolute(en[name])}
        assert entries[absolute(page)] == alternates, name
        assert entries[absolute(en[name])] == alternates, name
    assert entries[absolute(en["event"])] == {}  # no translation: nothing to point at

    assert absolute(en["draft"]) not in entries
    assert absolute(en["restricted"]) not in entries
    assert all(location.startswith(f"{ORIGIN}/en/") or location.startswith(f"{ORIGIN}/ar/") for location in entries)
    assert len(entries) == len(ar) * 2 + 1


def test_sitemap_forgets_a_page_once_it_is_unpublished(client, site):
    site["ar"]["item"].unpublish()
    entries = sitemap_entries(client)
    assert absolute(site["ar"]["item"]) not in entries
    assert entries[absolute(site["en"]["item"])] == {}


def test_sitemap_queries_do_not_grow_with_pages(client, site):
    def queries():
        client.get("/sitemap.xml")  # warm per-process caches (site root paths), as a running server would have
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap.xml").status_code == 200
        return len(captured.captured_queries)

    before = queries()
    for number in range(5):
        item = publish(NewsPageFactory(parent=site["en"]["news"], title=f"More news {number}"))
        translate(item, f"خبر آخر {number}")
    assert queries() == before
    assert len(sitemap_entries(client)) == len(site["ar"]) * 2 + 1 + 10


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_to_the_sitemap(client, site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert f"Disallow: {ADMIN_PREFIX}" in lines
    assert "Disallow: /ar/search/" in lines
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in lines
    assert client.get("/admin/").status_code == 302  # the admin exists where robots.txt says it is


# --- Atom feeds -------------------------------------------------------------------------------------------------


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - the site's own response
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text, required
    entries = []
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}").text, required
        entries.append({"title": entry.find(f"{ATOM}title").text, "link": entry.find(f"{ATOM}link").get("href")})
    return feed, entries


@pytest.mark.parametrize("language", ["en", "ar"])
def test_news_feed_lists_the_news_of_its_language(client, site, language):
    feed, entries = atom(client, f"/{language}/feeds/news/")
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    with translation.override(language):
        assert feed.find(f"{ATOM}title").text == f"{translation.gettext('News and events')} · " + translation.gettext(
            "South–South Exchange"
        )
    pages = site[language]
    expected = [pages["item"]] + ([pages["event"]] if language == "en" else [])
    assert sorted(entry["link"] for entry in entries) == sorted(absolute(page) for page in expected)
    assert all(entry["link"].startswith(f"{ORIGIN}/{language}/") for entry in entries)
    titles = {entry["title"] for entry in entries}
    assert "Members only item" not in titles and "Unpublished item" not in titles


@pytest.mark.parametrize("language", ["en", "ar"])
def test_practices_feed_lists_new_practices_of_its_language(client, site, language):
    feed, entries = atom(client, f"/{language}/feeds/practices/")
    with translation.override(language):
        assert translation.gettext("New good practices") in feed.find(f"{ATOM}title").text
    assert entries == [{"title": site[language]["practice"].title, "link": absolute(site[language]["practice"])}]
    if language == "ar":
        assert re.search(r"[\u0600-\u06FF]", feed.find(f"{ATOM}title").text)


def test_feeds_leave_out_a_practice_behind_a_password(client, site):
    PageViewRestriction.objects.create(
        page=site["ar"]["practice"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    _feed, entries = atom(client, "/ar/feeds/practices/")
    assert entries == []


@pytest.mark.parametrize(
    ("name", "feeds"),
    [("home", ["news", "practices"]), ("news", ["news"]), ("practices", ["practices"])],
)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_pages_link_to_their_feeds_in_the_readers_language(client, site, name, feeds, language):
    head = Head(client.get(site[language][name].url))
    assert sorted(link["href"] for link in head.feeds) == sorted(f"/{language}/feeds/{feed}/" for feed in feeds)
    with translation.override(language):
        site_name = translation.gettext("South–South Exchange")
    assert all(link["title"].endswith(site_name) for link in head.feeds)
    for link in head.feeds:
        atom(client, link["href"])


# --- head tags --------------------------------------------------------------------------------------------------


class Head(HTMLParser):
    """The head of a page as crawlers read it: title, meta tags, links and JSON-LD blocks."""

    def __init__(self, response):
        super().__init__()
        assert response.status_code == 200
        self.response = response
        self.title = ""
        self.meta = {}
        self.links = []
        self.json_ld = []
        self._in = None
        self.feed(response.content.decode())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs["content"])
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "title" or (tag == "script" and attrs.get("type") == "application/ld+json"):
            self._in = tag
            self._text = ""

    def handle_data(self, data):
        if self._in:
            self._text += data

    def handle_endtag(self, tag):
        if tag == self._in == "title":
            self.title = self._text
        elif tag == "script" and self._in == "script":
            self.json_ld.append(self._text)
        self._in = None if tag == self._in else self._in

    def one(self, key):
        (value,) = self.meta[key]
        return value

    def link(self, rel):
        (found,) = [link["href"] for link in self.links if link.get("rel") == rel]
        return found

    @property
    def feeds(self):
        return [link for link in self.links if link.get("type") == "application/atom+xml"]


@pytest.mark.parametrize(
    ("name", "schema_type", "description"),
    [
        ("chapter", "Article", "A chapter on prevention, in one sentence."),  # the search description wins
        ("practice", "CreativeWork", "A sample practice used in tests."),  # else the summary
        ("item", "NewsArticle", "The forum met in Nairobi."),
        ("event", "Event", "A sample news item used in tests."),
    ],
)
def test_content_pages_describe_themselves_to_search_engines_and_social_networks(
    client, site, name, schema_type, description
):
    page = site["en"][name]
    head = Head(client.get(page.url))
    assert head.title == f"{page.title} · South–South Exchange"
    assert head.one("description") == description
    assert head.link("canonical") == absolute(page)
    assert head.one("og:url") == absolute(page)
    assert head.one("og:title") == page.title
    assert head.one("og:description") == description
    assert head.one("og:type") == "article"
    assert head.one("og:site_name") == "South–South Exchange"
    assert head.one("og:locale") == "en_US"
    assert head.one("twitter:card") == "summary"  # no picture
    assert "og:image" not in head.meta
    if name in site["ar"]:
        assert head.meta["og:locale:alternate"] == ["ar_EG"]
    else:
        assert "og:locale:alternate" not in head.meta  # only real translations

    (block,) = head.json_ld
    data = json.loads(block)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == schema_type
    assert data["name"] == page.title
    assert data["url"] == absolute(page)
    assert data["inLanguage"] == "en"
    assert data["description"] == description
    if schema_type == "Event":
        assert data["startDate"] == "2026-11-20"
        assert data["endDate"] == "2026-11-22"
        assert data["location"]["name"] == "Dakar, Senegal"


def test_arabic_page_head_is_in_arabic_with_its_english_alternate(client, site):
    page = site["ar"]["chapter"]
    head = Head(client.get(page.url))
    assert head.one("description") == "فصل عن الوقاية في جملة واحدة."
    assert head.link("canonical") == absolute(page)
    assert head.one("og:locale") == "ar_EG"
    assert head.meta["og:locale:alternate"] == ["en_US"]
    assert head.one("og:site_name") == "التبادل فيما بين بلدان الجنوب"
    assert json.loads(head.json_ld[0])["inLanguage"] == "ar"
    hreflang = {link["hreflang"]: link["href"] for link in head.links if link.get("hreflang")}
    assert hreflang == {"en": absolute(site["en"]["chapter"]), "ar": absolute(page), "x-default": hreflang["en"]}


def test_json_ld_cannot_close_its_script_element(client, site):
    item = site["en"]["item"]
    item.title = "</script><script>alert(1)</script><!--"
    publish(item)
    response = client.get(item.url)
    body = response.content.decode()
    assert "<script>alert(1)" not in body
    assert "\\u003C/script\\u003E" in body
    assert json.loads(Head(response).json_ld[0])["name"] == item.title


def test_json_ld_leaves_the_enforced_content_security_policy_as_it_is(client, site):
    with_json_ld = client.get(site["en"]["chapter"].url)
    without = client.get(site["en"]["handbook"].url)
    assert Head(with_json_ld).json_ld and not Head(without).json_ld
    policy = with_json_ld["Content-Security-Policy"]
    assert policy == without["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "nonce-" not in policy and "sha256-" not in policy and "unsafe-inline" not in policy


def test_a_page_with_a_picture_shares_it(client, site):
    item = site["en"]["item"]
    item.lead_image = wagtail_factories.ImageFactory(title="IMG_2041.jpg", file__width=1600, file__height=900)
    item.lead_image_alt = "Forum participants around a table"
    publish(item)
    head = Head(client.get(item.url))
    image = head.one("og:image")
    assert image.startswith(f"{ORIGIN}/media/images/") and image == head.one("twitter:image")
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")
    assert head.one("og:image:alt") == "Forum participants around a table"
    assert head.one("twitter:card") == "summary_large_image"
    assert json.loads(head.json_ld[0])["image"] == image


@pytest.mark.parametrize("language", ["en", "ar"])
def test_home_page_title_names_the_site_once(client, site, language):
    head = Head(client.get(site[language]["home"].url))
    with translation.override(language):
        assert head.title == translation.gettext("South–South Exchange")
    assert head.one("og:type") == "website"
    assert not head.json_ld


def test_every_page_has_a_meta_description_from_its_summary_or_introduction(client, site):
    for language, pages in site.items():
        for name, page in pages.items():
            if name in ("draft", "restricted"):
                continue
            head = Head(client.get(page.url))
            assert head.meta.get("description", [""])[0].strip(), (language, name)
    practices = Head(client.get(site["en"]["practices"].url))
    assert practices.one("description") == "Practices from the South."  # rich text read as plain text
    news = Head(client.get(site["ar"]["news"].url))  # nothing to describe it: what the site is about
    with translation.override("ar"):
        tagline = "Good practices from the Global South on countering terrorism and preventing violent extremism"
        assert news.one("description") == translation.gettext(tagline) != tagline


def test_icons_are_linked_and_served(client, site):
    head = Head(client.get(site["en"]["home"].url))
    icons = {link["rel"]: link["href"] for link in head.links if "icon" in link["rel"]}
    assert set(icons) == {"icon", "apple-touch-icon"}
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 301
    assert favicon["Location"].endswith(".ico")


# --- error pages ------------------------------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The words a reader sees or hears (text and labelling attributes), leaving out what is marked as another
    language (the language switcher's names) and what is not shown (scripts)."""

    LABELS = ("title", "placeholder", "aria-label", "alt", "content")

    def __init__(self, html, language):
        super().__init__()
        self.language = language
        self.stack = []
        self.words = []
        self.feed(html)

    def foreign(self):
        return any(lang not in (None, self.language) for _tag, lang in self.stack) or any(
            tag in ("script", "style") for tag, _lang in self.stack
        )

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in ("meta", "link", "input", "img", "br"):
            self.stack.append((tag, attrs.get("lang")))
        if not self.foreign():
            for name in self.LABELS:
                if attrs.get(name) and not (tag == "meta" and attrs.get("name") == "viewport"):
                    self.words.append(attrs[name])

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not self.foreign() and data.strip():
            self.words.append(data.strip())


@pytest.mark.parametrize("language", ["ar", "fr", "es", "ru", "zh-hans"])
def test_page_not_found_is_in_the_readers_language(client, site, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    with translation.override(language):
        for english in ("Page not found", "Sorry, this page does not exist or is no longer published."):
            assert translation.gettext(english) != english
            assert translation.gettext(english) in html
        assert f'<a href="/{language}/">{translation.gettext("Go to the home page")}</a>' in html
    if language in ("ar", "ru", "zh-hans"):  # scripts without Latin letters: any Latin word would be English
        shown = " ".join(VisibleText(html, language).words)
        assert not re.findall(r"[A-Za-z]{3,}", shown), shown


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("language", ["en", "ar", "fr", "es", "ru", "zh-hans"])
def test_server_error_is_in_the_readers_language_without_touching_the_database(
    client, language, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get(f"/{language}/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html
    with translation.override(language):
        assert f"<h1>{translation.gettext('Something went wrong')}</h1>" in html
        assert translation.gettext("Server error") in html
    if language == "ar":
        assert not re.findall(r"[A-Za-z]{3,}", " ".join(VisibleText(html, "ar").words))
