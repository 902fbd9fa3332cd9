"""Search on the real engine the test session started (or SEARCH_URL): what a reader gets from /<lang>/search/.

The engine is not rolled back with the database: the session built every language's index from the demo database
(conftest's ``build_site``), every module that adds a page to the engine takes it out again, and so do these tests
(``engine``, when the test ends): every test starts from the demo's indexes, without a rebuild of its own.
"""

import itertools
import re
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from modelsearch.backends import get_search_backend
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail.signals import page_published

from handbook.factories import CaseStudyPageFactory
from handbook.models import CaseStudyIndexPage, CaseStudyPage, Country, Term
from search.outage import outage
from search.views import PER_PAGE

from ..test_fuzz import EXAMPLES, FUZZ, odd_text, param_values

pytestmark = [pytest.mark.django_db, pytest.mark.engine]
serial = itertools.count()
LANGUAGES = ["en", "ar", "fr", "es", "ru", "zh-hans"]


class Engine:
    def backend(self, language):
        return get_search_backend(f"engine-{language}")

    def refresh(self):
        for language in LANGUAGES:
            backend = self.backend(language)
            backend.es.indices.refresh(index=backend.get_index_for_model(Page).name)

    def ids_in_index(self, language):
        backend = self.backend(language)
        response = backend.search_request(
            backend.get_index_for_model(Page).name, {"query": {"match_all": {}}, "size": 10_000}
        )
        return {int(hit["_id"]) for hit in response["hits"]["hits"]}

    def search_index(self, language, text):
        backend = self.backend(language)
        response = backend.search_request(
            backend.get_index_for_model(Page).name, {"query": {"match": {"_all_text": text}}, "size": 100}
        )
        return {int(hit["_id"]) for hit in response["hits"]["hits"]}


@pytest.fixture
def engine(db):
    published = []

    def remember(sender, instance, **kwargs):
        published.append(instance)

    page_published.connect(remember, weak=False, dispatch_uid="search-test-published")
    yield Engine()
    page_published.disconnect(dispatch_uid="search-test-published")
    engine = Engine()
    for page in published:
        for language in LANGUAGES:
            engine.backend(language).delete(page)
    engine.refresh()


def publish_practice(language, title, summary, **fields):
    locale = Locale.objects.get(language_code=language)
    parent = CaseStudyIndexPage.objects.get(locale=locale)
    english = Locale.objects.get(language_code="en")
    page = CaseStudyPageFactory.build(
        title=title,
        summary=summary,
        locale=locale,
        slug=f"search-test-{next(serial)}",
        implementing_country=fields.pop("country", None) or Country.objects.get(code="SN"),
        **fields,
    )
    page.pillars = list(Term.objects.filter(vocabulary="pillar", locale=english, code="I"))
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def result_ids(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return [int(pk) for pk in re.findall(r'class="result" data-page-id="(\d+)"', response.content.decode())]


def total(client, url):
    body = client.get(url).content.decode()
    return int(re.search(r'search-results__count">(\d+)', body).group(1))


def facet_options(client, url):
    body = client.get(url).content.decode()
    groups = {}
    for group, inner in re.findall(r'data-facet="([^"]+)">(.*?)</section>', body, re.S):
        groups[group] = [
            (code, href.replace("&amp;", "&"), int(count))
            for href, code, count in re.findall(
                r'<a href="([^"]+)" data-code="([^"]+)"[^>]*>[^<]*</a> <span class="facets__count">(\d+)', inner
            )
        ]
    return groups


# --- Arabic analysis ---------------------------------------------------------------------------------------


@pytest.fixture
def arabic_practices(engine):
    target = publish_practice(
        "ar",
        "مبادرة أحمد للتعاونيات",
        "برنامج التعاونيات الزراعية أطلق في عام ١٩٨٧ مع المزارعين",
    )
    control = publish_practice("ar", "شبكة الصحفيين المستقلين", "تدريب الصحفيين على التغطية المسؤولة للأخبار")
    engine.refresh()
    return target, control


@pytest.mark.parametrize(
    "query",
    [
        "الزراعية",  # as written
        "الزِّرَاعِيَّة",  # with diacritics
        "زراعية",  # without the article
        "الزراعيه",  # taa marbuta written as haa
        "زراعة",  # the noun, feminine
        "التعاونية",  # singular feminine of التعاونيات
        "تعاونيات",  # plural without the article
        "مزارع",  # without the plural suffix of المزارعين
        "احمد",  # hamza variants of أحمد
        "أحمد",
        "إحمد",
        "1987",  # Latin digits for ١٩٨٧
        "١٩٨٧",
    ],
)
def test_arabic_variants_find_the_same_practice(client, arabic_practices, query):
    target, control = arabic_practices
    ids = result_ids(client, f"/ar/search/?q={query}")
    assert target.pk in ids
    assert control.pk not in ids


def test_arabic_digits_match_latin_digits_the_other_way(client, engine):
    page = publish_practice("ar", "تقرير التقييم السنوي", "صدر التقرير في عام 2021 بعد المراجعة")
    engine.refresh()
    assert page.pk in result_ids(client, "/ar/search/?q=٢٠٢١")
    assert page.pk in result_ids(client, "/ar/search/?q=2021")


def test_english_stemming(client, engine):
    page = publish_practice("en", "Rehabilitating returnees in coastal towns", "Mentors supported returning families.")
    other = publish_practice("en", "Journalist safety network", "Training for reporters.")
    engine.refresh()
    for query in ["rehabilitation", "rehabilitate", "returnee", "mentor", "supporting", "family"]:
        ids = result_ids(client, f"/en/search/?q={query}")
        assert page.pk in ids, query
        assert other.pk not in ids, query


# Each of the other languages: a practice, an unrelated one, and queries in a form the practice's text does not
# contain, found only through the language's own analysis (a stem; for Chinese, the two-character word that a
# character-by-character analysis would also find in the unrelated text).
OTHER_LANGUAGES = {
    "fr": (
        "Réinsertion des jeunes dans les villes côtières",
        "Les mentors ont soutenu les familles de retour.",
        "Réseau de journalistes indépendants",
        ["famille", "ville", "mentor"],
    ),
    "es": (
        "Reinserción de jóvenes en ciudades costeras",
        "Los mentores apoyaron a las familias retornadas.",
        "Red de periodistas independientes",
        ["familia", "costera"],
    ),
    "ru": (
        "Реинтеграция молодежи в прибрежных городах",
        "Наставники поддерживали вернувшиеся семьи.",
        "Сеть независимых журналистов",
        ["город", "наставник", "семья"],
    ),
    "zh-hans": (
        "沿海城镇的社区警务论坛",
        "导师为返回的家庭提供支持。",
        "警察培训和事务管理",
        ["警务"],
    ),
}


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_each_languages_own_analysis(client, engine, language):
    title, summary, other_title, queries = OTHER_LANGUAGES[language]
    page = publish_practice(language, title, summary)
    other = publish_practice(language, other_title, other_title)
    engine.refresh()
    words = re.findall(r"\w+", f"{title} {summary}".lower())
    for query in queries:
        assert query not in words, query  # found through analysis, not as written
        ids = result_ids(client, f"/{language}/search/?q={query}")
        assert page.pk in ids, query
        assert other.pk not in ids, query


# --- one index per language --------------------------------------------------------------------------------


def test_each_page_lands_only_in_its_own_languages_index(engine):
    english = publish_practice("en", "Quokkaville community forums", "Forums in Quokkaville.")
    arabic = publish_practice("ar", "منتديات مجتمعية في قريتنا", "منتديات كوكافيل")
    engine.refresh()
    english_index, arabic_index = engine.ids_in_index("en"), engine.ids_in_index("ar")
    assert english.pk in english_index and english.pk not in arabic_index
    assert arabic.pk in arabic_index and arabic.pk not in english_index
    en_locale, ar_locale = (Locale.objects.get(language_code=code) for code in ("en", "ar"))
    assert set(Page.objects.filter(pk__in=english_index).values_list("locale", flat=True)) == {en_locale.pk}
    assert set(Page.objects.filter(pk__in=arabic_index).values_list("locale", flat=True)) == {ar_locale.pk}
    assert engine.search_index("ar", "Quokkaville") == set()
    assert engine.search_index("en", "منتديات") == set()


def test_search_page_shows_only_the_readers_language(client, engine):
    english_ids = set(Page.objects.filter(locale__language_code="en").values_list("pk", flat=True))
    arabic_ids = set(Page.objects.filter(locale__language_code="ar").values_list("pk", flat=True))
    on_arabic = result_ids(client, "/ar/search/?q=terrorism")
    assert not english_ids & set(on_arabic)
    on_english = result_ids(client, "/en/search/?q=الإرهاب")
    assert on_english == []
    assert set(result_ids(client, "/ar/search/?q=الإرهاب")) <= arabic_ids
    assert set(result_ids(client, "/en/search/?q=terrorism")) <= english_ids
    assert result_ids(client, "/en/search/?q=terrorism")


# --- the results page --------------------------------------------------------------------------------------


def test_results_show_title_type_summary_and_highlighted_words(client, engine):
    page = publish_practice(
        "en", "Mangrove coast dialogue", "Summary line.", approach="<p>Fishermen discussed mangrove patrols.</p>"
    )
    engine.refresh()
    body = client.get("/en/search/?q=patrols").content.decode()
    item = re.search(rf'data-page-id="{page.pk}">(.*?)</li>', body, re.S).group(1)
    assert "Mangrove coast dialogue" in item
    assert "practice case study" in item
    assert "Summary line." in item
    assert "<mark>patrols</mark>" in item


def test_results_are_ranked_title_matches_first(client, engine):
    in_body = publish_practice("en", "Harbour safety work", "Summary.", approach="<p>About the zebrafinch.</p>")
    in_title = publish_practice("en", "Zebrafinch watch", "Summary.")
    engine.refresh()
    assert result_ids(client, "/en/search/?q=zebrafinch") == [in_title.pk, in_body.pk]


def test_facet_counts_equal_the_pages_behind_each_value(client, engine):
    url = "/en/search/?q=terrorism"
    groups = facet_options(client, url)
    assert set(groups) >= {"type", "pillar", "region", "country", "theme"}
    checked = 0
    for group in ["type", "pillar", "region", "country"]:
        for _code, href, count in groups[group]:
            assert total(client, "/en/search/" + href) == count, href
            checked += 1
    assert checked > 15


def test_every_country_with_a_result_is_a_facet_value(client, engine):
    groups = facet_options(client, "/en/search/?q=terrorism")
    matching_ids = engine.search_index("en", "terrorism")
    practices = CaseStudyPage.objects.live().filter(locale__language_code="en", pk__in=matching_ids)
    countries = {p.implementing_country.code for p in practices}
    countries |= set(practices.values_list("partner_countries__code", flat=True)) - {None}
    matching = {code for code, _href, _count in groups["country"]}
    assert len(countries) > 10  # more than the engine's default of 10 buckets
    assert matching == countries


def test_facets_combine_with_the_query_and_each_other(client, engine):
    africa = total(client, "/en/search/?q=terrorism&region=africa")
    both = total(client, "/en/search/?q=terrorism&region=africa&region=middle-east")
    narrowed = total(client, "/en/search/?q=terrorism&region=africa&pillar=IV")
    assert 0 < africa < both
    assert narrowed <= africa
    ids = result_ids(client, "/en/search/?q=terrorism&region=africa")
    assert {type(p) for p in Page.objects.filter(pk__in=ids).specific()} == {CaseStudyPage}


def test_facet_counts_under_a_selection_are_what_each_value_would_find_with_the_other_selections(client, engine):
    # A value's count applies the other facets' selections but not its own facet's: with a region and a pillar
    # chosen, a pillar's count is what that pillar alone finds within the region, and so on for every facet.
    search = "/en/search/?q=terrorism"
    pillar = facet_options(client, search + "&region=africa")["pillar"][0][0]
    selection = {"region": "africa", "pillar": pillar}
    groups = facet_options(client, f"{search}&{urlencode(selection)}")
    checked = 0
    for group in ["type", "pillar", "region", "theme"]:
        for code, _href, count in groups[group]:
            assert total(client, f"{search}&{urlencode({**selection, group: code})}") == count, (group, code)
            checked += 1
    assert checked > 8


def test_a_page_behind_a_view_restriction_is_neither_found_nor_counted_in_a_facet(client, engine):
    public = publish_practice("en", "Quagga ford dialogue", "Quagga crossings.", country=Country.objects.get(code="KE"))
    hidden = publish_practice("en", "Quagga ford patrols", "Quagga patrols.", country=Country.objects.get(code="PE"))
    engine.refresh()
    before = facet_options(client, "/en/search/?q=quagga")
    assert {code for code, _href, _count in before["country"]} == {"KE", "PE"}

    # The engine's copy of the page stays as it was: the restriction must be applied at query time.
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert result_ids(client, "/en/search/?q=quagga") == [public.pk]
    after = facet_options(client, "/en/search/?q=quagga")
    assert [(code, count) for code, _href, count in after["country"]] == [("KE", 1)]


def test_facet_labels_are_in_the_readers_language(client, engine):
    body = client.get("/ar/search/?q=الإرهاب").content.decode()
    assert "أفريقيا" in body
    assert 'data-code="africa"' in body


def test_listing_and_search_share_the_filter_parameters(client, engine):
    listing = CaseStudyIndexPage.objects.get(locale__language_code="en")
    filters = "region=africa&region=middle-east&pillar=IV"
    body = client.get(f"{listing.url}?{filters}").content.decode()
    listed = set(re.findall(r'href="(/en/practices/[^"/]+/)"', body))
    matching = {page.url for page in Page.objects.filter(pk__in=engine.search_index("en", "terrorism"))}
    found = {page.url for page in Page.objects.filter(pk__in=result_ids(client, f"/en/search/?q=terrorism&{filters}"))}
    assert found and found == listed & matching


def test_promoted_results_come_first_in_every_language(client, engine):
    english = CaseStudyPage.objects.live().filter(locale__language_code="en").order_by("title").last()
    query = Query.get("Courts")
    SearchPromotion.objects.create(query=query, page=english, sort_order=0, description="")
    body = client.get("/en/search/?q=courts").content.decode()
    first = re.search(r'data-page-id="(\d+)"', body).group(1)
    assert int(first) == english.pk
    assert "result--promoted" in body.split(f'data-page-id="{english.pk}"')[0][-200:]
    assert english.pk not in result_ids(client, "/en/search/?q=courts")
    arabic = english.get_translation(Locale.objects.get(language_code="ar"))
    body = client.get("/ar/search/?q=COURTS").content.decode()
    assert int(re.search(r'data-page-id="(\d+)"', body).group(1)) == arabic.pk


def test_autocomplete_suggests_titles_in_the_readers_language(client, engine):
    page = publish_practice("ar", "أحمد والمعلمون", "ملخص")
    engine.refresh()
    data = client.get("/ar/search/suggest/?q=احم").json()
    assert page.title in [item["title"] for item in data["results"]]
    data = client.get("/en/search/suggest/?q=prev").json()
    assert data["results"] and all(item["url"].startswith("/en/") for item in data["results"])
    assert client.get("/en/search/suggest/?q=").json()["results"] == []


# --- bad input ---------------------------------------------------------------------------------------------


BAD_INPUT = [
    "q=",
    "q=" + "terrorism " * 1111,
    'q="',
    "q=(",
    "q=AND",
    "q=*",
    "q=%5C",
    "q=terrorism)%20OR%20(",
    "q=%00",
    "q=terrorism&region=%3Cscript%3E&country=ZZ&type=bogus&pillar=",
    "q=terrorism&page=abc",
    "q=terrorism&page=-3",
    "q=terrorism&page=999999999999",
    "q=terrorism&page=50",
]


@pytest.mark.parametrize("params", BAD_INPUT)
def test_bad_input_gets_an_answer_not_an_error(client, engine, params):
    for language in ("en", "ar"):
        response = client.get(f"/{language}/search/?{params}")
        assert response.status_code == 200
        assert client.get(f"/{language}/search/suggest/?{params}").status_code == 200


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 1))
@given(data=st.data())
def test_generated_queries_and_facets_are_answered_by_the_engine(engine, data):
    """The fast layer's fuzzing (tests/test_fuzz.py: its hostile values) of the search page and its suggestions, here
    on the engine: every answer is a page, never a 5xx, and the engine answered it (a query it refused would have
    fallen back to the database, and the outage would show)."""
    pillars = list(Term.objects.filter(vocabulary="pillar").values_list("code", flat=True).distinct())
    params = {
        "q": data.draw(st.lists(st.one_of(st.sampled_from(["dialogue", "إرهاب", "community"]), odd_text), max_size=3)),
        "pillar": data.draw(param_values(pillars), label="pillar"),
        "country": data.draw(param_values(["SN", "KE", "NG"]), label="country"),
        "type": data.draw(param_values(["practice", "chapter", "news"]), label="type"),
        "page": data.draw(st.lists(odd_text, max_size=2), label="page"),
    }
    language = data.draw(st.sampled_from(LANGUAGES), label="language")
    with override_settings(SEARCH_RATE_LIMIT=10**9):  # the rate limit has its own tests
        for path in (f"/{language}/search/", f"/{language}/search/suggest/"):
            url = f"{path}?{urlencode(params, doseq=True)}"
            assert Client().get(url).status_code < 500, url[:300]
            assert not outage.ongoing, f"the engine refused {url[:300]}: the database answered"


def test_out_of_range_page_shows_the_last_page(client, engine):
    pages = -(-total(client, "/en/search/?q=terrorism") // PER_PAGE)
    assert pages >= 2
    last = result_ids(client, f"/en/search/?q=terrorism&page={pages}")
    assert last and result_ids(client, "/en/search/?q=terrorism&page=999") == last


def test_long_query_is_shortened_with_a_notice(client, engine):
    body = client.get("/en/search/?q=" + "x" * 10_000).content.decode()
    assert "shortened" in body


def test_invalid_facet_values_are_reported(client, engine):
    body = client.get("/en/search/?q=terrorism&country=ZZ&type=bogus").content.decode()
    assert "not recognised" in body and "ZZ" in body and "bogus" in body


def test_a_summary_that_matched_is_shown_once_with_its_highlight(client, engine):
    page = publish_practice("en", "Lagoon patrol exchange", "Summary about lagoonwatchers and their boats.")
    engine.refresh()
    body = client.get("/en/search/?q=lagoonwatchers").content.decode()
    item = re.search(rf'data-page-id="{page.pk}">(.*?)</li>', body, re.S).group(1)
    assert "<mark>lagoonwatchers</mark>" in item
    assert item.count("and their boats") == 1


def test_an_editors_new_synonym_finds_a_page_at_once_on_the_engine(client, engine):
    """The glossary is applied when the query runs: no reindexing, no index swap, nothing to wait for."""
    page = publish_practice("en", "Quillwort listening circles", "Neighbours meet in listening circles.")
    engine.refresh()
    assert page.pk not in result_ids(client, "/en/search/?q=QLC")

    editor = Client()
    editor.force_login(get_user_model().objects.get(username="editor"))
    response = editor.post(
        "/admin/snippets/search/glossaryentry/add/?locale=en",
        {"term": "quillwort listening circles", "synonyms": "QLC\nquillwort circles"},
    )
    assert response.status_code == 302
    assert page.pk in result_ids(client, "/en/search/?q=QLC")
    assert page.pk in result_ids(client, "/en/search/?q=qlc+neighbours")


@pytest.mark.parametrize(
    ("language", "title", "other_title", "query", "notice"),
    [
        (
            "en",
            "Wombat keepers build trust with young people",
            "Wombat keepers",
            "trust between wombat keepers and young people",
            "No page contains all of your words",
        ),
        (
            "ar",
            "حراس الومبت يبنون الثقة مع الشباب",
            "حراس الومبت",
            "بناء الثقة بين حراس الومبت والشباب والنساء",
            "لا تحتوي أي صفحة على جميع الكلمات",
        ),
    ],
)
def test_a_query_no_page_holds_whole_finds_the_pages_with_most_of_its_words_on_the_engine(
    client, engine, language, title, other_title, query, notice
):
    best = publish_practice(language, title, "—")
    weaker = publish_practice(language, other_title, "—")
    engine.refresh()
    body = client.get(f"/{language}/search/", {"q": query}).content.decode()
    ids = [int(pk) for pk in re.findall(r'class="result" data-page-id="(\d+)"', body)]
    assert ids[0] == best.pk and weaker.pk not in ids  # fewer than half of the words is no answer
    assert notice in body
    body = client.get(f"/{language}/search/", {"q": other_title}).content.decode()
    assert weaker.pk in [int(pk) for pk in re.findall(r'class="result" data-page-id="(\d+)"', body)]
    assert notice not in body
