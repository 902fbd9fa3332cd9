"""Lead images of case studies, chapters and news items (issue 10, "Pictures"), over HTTP: a <picture> with AVIF
and WebP sources and a fallback, width and height set, the alternative text in the page's language (a field that
translators translate), lazy loading on the listing cards only, the picture shared as the Open Graph image, and the
admin's editor refusing an image without alternative text.
"""

import copy
import re
from html import unescape

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, TranslationSource

from handbook.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory
from handbook.models import Country
from home.models import HomePage
from news.factories import NewsIndexPageFactory, NewsPageFactory

from .admin_forms import edit_form_data

pytestmark = pytest.mark.django_db

ENGLISH_ALT = "Two hands drawing a bridge between two shores"
ARABIC_ALT = "يدان ترسمان جسرا بين ضفتين"


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def picture(html, figure_class):
    """The first <picture> inside ``<figure class="figure_class">``."""
    found = re.search(rf'<figure class="{figure_class}">\s*(<picture>.*?</picture>)', html, re.S)
    assert found, f"no picture in a figure of class {figure_class}"
    return found.group(1)


def attributes(tag):
    return {name: unescape(value) for name, value in re.findall(r'(\w[\w-]*)="([^"]*)"', tag)}


@pytest.fixture
def image():
    # 960 px wide: the 1200 px width is not enlarged, so the renditions are 960, 800 and 480 px wide.
    return wagtail_factories.ImageFactory(title="IMG_0042.jpg", file__width=960, file__height=540)


@pytest.fixture(scope="module")
def built_news(module_transaction, django_db_blocker):
    with django_db_blocker.unblock():
        return build_news(wagtail_factories.ImageFactory(title="IMG_0042.jpg", file__width=960, file__height=540))


@pytest.fixture
def news(built_news, db):
    """The module's news item (``build_news``), copies of its pages: a test may change them."""
    return copy.deepcopy(built_news)


def build_news(image):
    """A news item with a lead image in English and in Arabic, on a news listing of its own."""
    homes = {code: HomePage.objects.get(locale__language_code=code) for code in ["en", "ar"]}
    listing = NewsIndexPageFactory(parent=homes["en"], slug="pictured-news")
    item = publish(
        NewsPageFactory(
            parent=listing,
            slug="bridge",
            title="A bridge of practices",
            lead_image=image,
            lead_image_alt=ENGLISH_ALT,
            lead_image_caption="Sample illustration",
        )
    )
    arabic_listing = publish(listing.copy_for_translation(Locale.objects.get(language_code="ar")))
    arabic = item.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.title, arabic.lead_image_alt, arabic.lead_image_caption = "جسر من الممارسات", ARABIC_ALT, "رسم توضيحي نموذجي"
    return {"en": item, "ar": publish(arabic), "listing": listing, "ar_listing": arabic_listing}


@pytest.mark.parametrize(("language", "alt"), [("en", ENGLISH_ALT), ("ar", ARABIC_ALT)])
def test_the_lead_image_is_a_responsive_picture_described_in_the_pages_language(client, news, language, alt):
    html = client.get(news[language].url).content.decode()
    tag = picture(html, "lead-image")
    sources = {attributes(source)["type"]: attributes(source) for source in re.findall(r"<source[^>]*>", tag)}
    assert set(sources) == {"image/avif", "image/webp"}
    webp = sources["image/webp"]
    assert [url.split()[1] for url in webp["srcset"].split(", ")] == ["960w", "800w", "480w"]
    assert all(url.split()[0].endswith(".webp") for url in webp["srcset"].split(", "))
    img = attributes(re.search(r"<img[^>]*>", tag).group(0))
    assert img["alt"] == alt
    assert (img["width"], img["height"]) == ("960", "540")  # the box keeps its shape before the file arrives
    assert img["src"].endswith(".jpg") and "sizes" in img
    assert "loading" not in img  # the top of the page: loaded at once
    caption = "Sample illustration" if language == "en" else "رسم توضيحي نموذجي"
    assert f"<figcaption>{caption}</figcaption>" in html


def test_the_renditions_a_picture_names_exist(client, news):
    html = client.get(news["en"].url).content.decode()
    urls = re.findall(r"/media/(images/[^\s\"]+)", picture(html, "lead-image"))
    stored = {rendition.file.name for rendition in news["en"].lead_image.renditions.all()}
    assert len(set(urls)) == 9 and set(urls) <= stored  # three widths in AVIF, WebP and JPEG


def test_the_alternative_text_is_offered_to_translators(news):
    source, _created = TranslationSource.get_or_create_from_instance(news["en"])
    segments = {segment.context.path: segment.string.data for segment in StringSegment.objects.filter(source=source)}
    assert segments["lead_image_alt"] == ENGLISH_ALT
    assert segments["lead_image_caption"] == "Sample illustration"


def test_the_news_listing_shows_the_pictures_lazily(client, news):
    for language, alt in [("listing", ENGLISH_ALT), ("ar_listing", ARABIC_ALT)]:
        html = client.get(news[language].url).content.decode()
        img = attributes(re.search(r"<img[^>]*>", picture(html, "card__image")).group(0))
        assert img["alt"] == alt and img["loading"] == "lazy"
        assert (img["width"], img["height"]) == ("640", "360")


@pytest.fixture
def pictured_listing(image):
    home = HomePage.objects.get(locale__language_code="en")
    return CaseStudyIndexPageFactory(parent=home, slug="pictured-practices")


def add_practice(listing, image=None):
    fields = {"lead_image": image, "lead_image_alt": "A sample illustration"} if image else {}
    country = Country.objects.get(code="SN")
    return publish(CaseStudyPageFactory(parent=listing, implementing_country=country, **fields))


def test_practice_cards_show_the_picture_without_a_query_per_card(client, pictured_listing, image):
    practice = add_practice(pictured_listing, image)
    page_image = re.search(r"<img[^>]*>", picture(client.get(practice.url).content.decode(), "lead-image")).group(0)
    assert attributes(page_image)["alt"] == "A sample illustration"
    html = client.get(pictured_listing.url).content.decode()
    img = attributes(re.search(r"<img[^>]*>", picture(html, "card__image")).group(0))
    assert img["alt"] == "A sample illustration" and img["loading"] == "lazy"
    with CaptureQueriesContext(connection) as one:
        client.get(pictured_listing.url)
    for _ in range(2):  # a query per card would show from the second
        add_practice(pictured_listing, wagtail_factories.ImageFactory(file__width=320, file__height=180))
    client.get(pictured_listing.url)  # the new images' renditions are made once
    with CaptureQueriesContext(connection) as three:
        html = client.get(pictured_listing.url).content.decode()
    assert html.count('<figure class="card__image">') == 3
    assert len(three) == len(one)


def test_the_page_is_shared_with_a_rendition_of_its_lead_image(client, news):
    html = client.get(news["ar"].url).content.decode()
    meta = dict(re.findall(r'<meta property="(og:image[:\w]*)" content="([^"]*)">', html))
    rendition = news["ar"].lead_image.renditions.get(filter_spec="fill-1200x630")
    assert meta["og:image"] == f"http://testserver{rendition.url}"
    assert unescape(meta["og:image:alt"]) == ARABIC_ALT


def test_an_image_without_alternative_text_is_refused_by_the_editor(client, users, news):
    item = news["en"]
    client.force_login(users["editor"])
    url = reverse("wagtailadmin_pages:edit", args=(item.pk,))
    response = client.post(url, edit_form_data(item, users["editor"], lead_image_alt="  "))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Describe the lead image for readers who cannot see it." in html
    item.refresh_from_db()
    assert item.get_latest_revision().content["lead_image_alt"] == ENGLISH_ALT  # nothing was saved

    response = client.post(url, edit_form_data(item, users["editor"], lead_image_alt="A new description"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.get_latest_revision().content["lead_image_alt"] == "A new description"


def test_the_arabic_editor_says_so_in_arabic(client, users, news):
    profile = UserProfile.get_for_user(users["editor"])
    profile.preferred_language = "ar"
    profile.save()
    client.force_login(users["editor"])
    item = news["ar"]
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(item.pk,)), edit_form_data(item, users["editor"], lead_image_alt="")
    )
    assert response.status_code == 200
    assert "صِف الصورة الرئيسية للقراء الذين لا يستطيعون رؤيتها." in unescape(response.content.decode())
