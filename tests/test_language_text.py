"""Text a reader meets that no catalogue holds, as the UN writes it in each of its six languages: the UN's country
names (core/un_country_names.json) wherever a country is named, lists in the order the reader's language sorts them
(ICU), lists built in code joined with the language's comma, and dates in the UN's style."""

import datetime
import json
import re
from pathlib import Path

import pytest

from core.languages import UN_COUNTRY_NAMES, collation_key, country_name, join_list, local_date
from handbook.factories import CountryFactory
from handbook.models import CaseStudyPage, Country
from news.models import NewsPage

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
OPTION = re.compile(r'<option value="(\w*)"[^>]*>([^<]*)</option>')


def options(html, name):
    """The (value, label) pairs of the ``<select name=…>`` in ``html``, in the order the page gives them."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select named {name}"
    return [(value, label.strip()) for value, label in OPTION.findall(select.group(1)) if value]


def test_country_names_are_the_uns_where_cldr_differs():
    assert country_name("CI", "ar") == "كوت ديفوار"  # CLDR: ساحل العاج
    assert country_name("VN", "ar") == "فييت نام"  # CLDR: فيتنام
    assert country_name("CL", "ar") == "شيلي"  # CLDR: تشيلي
    assert country_name("TZ", "ar") == "جمهورية تنزانيا المتحدة"
    assert country_name("TZ", "fr") == "République-Unie de Tanzanie"
    assert country_name("TZ", "es") == "República Unida de Tanzanía"
    assert country_name("TZ", "ru") == "Объединенная Республика Танзания"
    assert country_name("TZ", "zh-hans") == "坦桑尼亚联合共和国"
    assert country_name("RU", "en") == "Russian Federation"
    assert country_name("VN", "en") == "Viet Nam"
    # Where the UN and CLDR agree, CLDR's name in the reader's language.
    assert country_name("SN", "fr") == "Sénégal"
    assert country_name("EG", "ar") == "مصر"


def test_the_country_names_file_states_its_source_and_holds_only_real_codes_and_languages():
    data = json.loads((ROOT / "core" / "un_country_names.json").read_text("utf-8"))
    assert "UNTERM" in data["source"] and "CLDR" in data["source"]
    assert data["names"] == UN_COUNTRY_NAMES
    for code, names in UN_COUNTRY_NAMES.items():
        assert re.fullmatch(r"[A-Z]{2}", code)
        assert set(names) <= {"en", "ar", "fr", "es", "ru", "zh"}, code
        assert all(name.strip() == name and name for name in names.values()), code


def test_countries_are_named_the_uns_way_on_pages_filters_and_open_data(client):
    country = CountryFactory(code="CI", region=Country.objects.get(code="SN").region)
    arabic = CaseStudyPage.objects.live().get(locale__language_code="ar", slug="community-dialogue")
    CaseStudyPage.objects.filter(translation_key=arabic.translation_key).update(implementing_country=country)
    for url in [arabic.url, "/ar/practices/", "/ar/data/practices.json?country=ci", "/ar/exchange/"]:
        body = client.get(url).content.decode()
        assert "كوت ديفوار" in body, url
        assert "ساحل العاج" not in body, url
    assert "Côte d’Ivoire" in client.get("/fr/exchange/").content.decode()
    record = next(
        item
        for item in client.get("/api/v3/practices/?locale=ar").json()["items"]
        if item["implementing_country"]["code"] == "CI"
    )
    assert record["implementing_country"]["name"] == "كوت ديفوار"


@pytest.mark.parametrize(
    "language, first, second",
    [
        # Byte order puts each pair the other way round.
        ("ar", "TN", "MA"),  # تونس before المغرب: the article is not sorted on
        ("fr", "EG", "GH"),  # Égypte among the E, before Ghana (É is after every ASCII letter in byte order)
        ("zh-hans", "OM", "EG"),  # 阿曼 (ā) before 埃及 (āi): pinyin, not code point
        ("zh-hans", "EG", "BR"),  # 埃及 (āi) before 巴西 (bā)
    ],
)
def test_the_country_list_is_sorted_as_the_readers_language_sorts(client, language, first, second):
    codes = [code for code, _label in options(client.get(f"/{language}/exchange/").content.decode(), "country")]
    assert codes.index(first) < codes.index(second), [country_name(code, language) for code in codes]


def test_collation_beats_byte_order_in_each_language():
    cases = {
        "ar": ["إثيوبيا", "الأردن", "أوغندا", "باكستان", "مصر", "المغرب", "الهند"],
        "ru": ["Египет", "Ёмкость", "Ешь", "Жизнь"],
        "fr": ["cote", "côte", "Égypte", "Équateur", "Eswatini", "Zambie"],
        "es": ["Chile", "China", "Nicaragua", "Níger", "Nigeria", "Ñandú", "Omán"],
        "zh-hans": ["阿富汗", "阿根廷", "澳大利亚", "巴西", "日本", "中国"],
    }
    for language, ordered in cases.items():
        assert sorted(ordered) != ordered, language  # the example would prove nothing otherwise
        assert sorted(sorted(ordered), key=lambda text: collation_key(text, language)) == ordered, language


def test_lists_built_in_code_use_the_languages_comma(client):
    assert join_list(["مصر", "الأردن", "المغرب"], "ar") == "مصر، الأردن، المغرب"
    assert join_list(["埃及", "约旦"], "zh-hans") == "埃及、约旦"
    assert join_list(["Égypte", "Jordanie"], "fr") == "Égypte, Jordanie"
    body = client.get("/ar/practices/", {"country": "xx", "theme": "nothing"}).content.decode()
    assert "<bdi>xx</bdi>، <bdi>nothing</bdi>" in body
    assert "<bdi>xx</bdi>, <bdi>nothing</bdi>" in client.get("/en/practices/?country=xx&theme=nothing").content.decode()


def test_dates_read_as_the_un_writes_them(client):
    assert local_date(datetime.date(2026, 1, 3), "ar") == "3 كانون الثاني/يناير 2026"
    assert local_date(datetime.date(2026, 7, 9), "ar") == "9 تموز/يوليه 2026"
    assert local_date(datetime.date(2026, 7, 9), "en") == "9 July 2026"
    assert local_date(datetime.date(2026, 7, 9), "ru") == "9 июля 2026 года"
    news = NewsPage.objects.live().filter(locale__language_code="ar").first()
    body = client.get(news.url).content.decode()
    month = local_date(news.date, "ar").split(" ", 1)[1].rsplit(" ", 1)[0]
    assert "/" in month and f">{news.date.day} {month} {news.date.year}<" in body


def test_latin_names_inside_arabic_text_are_isolated(client):
    # The sample centre has no Arabic name: inside an Arabic sentence its Latin name must not reorder the words
    # around it (the country in parentheses after it).
    practice = CaseStudyPage.objects.live().get(locale__language_code="ar", slug="community-dialogue")
    assert "<bdi>Dakar Centre for Prevention</bdi></a> (السنغال)" in client.get(practice.url).content.decode()
    assert "<bdi>Dakar Centre for Prevention</bdi>" in client.get("/ar/centres/").content.decode()
