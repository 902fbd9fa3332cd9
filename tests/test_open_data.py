"""Open data: the read API (``/api/v3/``) and the practice exports (``/<language>/data/practices.csv|json``), as a
re-user, a script or a spreadsheet program meets them."""

import csv
import io
import itertools
import json
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from handbook.factories import CaseStudyPageFactory
from handbook.models import CaseStudyIndexPage, CaseStudyPage, ChapterPage, Country, Term
from news.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db

API = "/api/v3"
SCHOOLS = "School resilience clubs"  # sample site: implemented in Indonesia, pillar I, theme education
SCHOOLS_AR = "نوادي المنعة في المدارس"
PRISON = "Prison mentoring programme"  # Jordan, pillar IV
SLUGS = itertools.count()


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def practice(title, language="en"):
    return CaseStudyPage.objects.get(title=title, locale__language_code=language)


def add_practice(title, publish=True, **fields):
    """A practice in the English listing (Kenya, pillar II), published or left as a draft."""
    listing = CaseStudyIndexPage.objects.get(locale__language_code="en")
    page = CaseStudyPageFactory.build(
        title=title,
        slug=f"added-{next(SLUGS)}",
        implementing_country=Country.objects.get(code="KE"),
        live=False,
        **fields,
    )
    page.pillars = list(Term.objects.filter(vocabulary="pillar", code="II", locale=listing.locale))
    listing.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.save_revision()
    return page


def export_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# --- The API ---------------------------------------------------------------------------------------------------


def test_practices_list_in_arabic_with_codes_and_labels(client):
    data = get_json(client, f"{API}/practices/?locale=ar")
    assert data["count"] == 3
    assert {item["locale"] for item in data["items"]} == {"ar"}
    schools = next(item for item in data["items"] if item["title"] == SCHOOLS_AR)
    assert schools["pillars"] == [{"code": "I", "label": "الظروف المؤدية إلى انتشار الإرهاب"}]
    assert schools["themes"] == [{"code": "education", "label": "التعليم"}]
    assert schools["region"] == {"code": "asia-pacific", "label": "آسيا والمحيط الهادئ"}
    assert schools["implementing_country"] == {"code": "ID", "name": "إندونيسيا"}
    assert schools["status"] == {"code": "ongoing", "label": "جارية"}
    assert schools["url"].endswith("/ar/practices/school-resilience/")
    assert "experts" not in schools and "centres" not in schools  # until their visibility levels exist (issue 11)

    detail = get_json(client, f"{API}/practices/{schools['id']}/")
    assert detail["pillars"] == schools["pillars"]
    sections = {section["name"]: section for section in detail["sections"]}
    assert sections["safeguards_gender"]["html"].startswith("<p>")
    english = str(CaseStudyPage._meta.get_field("safeguards_gender").verbose_name)
    assert sections["safeguards_gender"]["heading"] not in {"", english}  # the catalogue's Arabic


def test_practices_without_locale_are_labelled_in_their_own_language(client):
    items = get_json(client, f"{API}/practices/?limit=50")["items"]
    by_language = {(item["locale"], item["slug"]): item for item in items}
    assert by_language["en", "school-resilience"]["pillars"][0]["label"] == "Conditions conducive to terrorism"
    assert by_language["ar", "school-resilience"]["pillars"][0]["label"] == "الظروف المؤدية إلى انتشار الإرهاب"


def test_chapters_news_and_taxonomy_in_arabic(client):
    chapters = get_json(client, f"{API}/chapters/?locale=ar")
    assert chapters["count"] == 4
    assert chapters["items"][3]["pillar"] == {"code": "IV", "label": "حقوق الإنسان وسيادة القانون"}
    chapter = get_json(client, f"{API}/chapters/{chapters['items'][0]['id']}/")
    assert chapter["locale"] == "ar" and "<p" in chapter["body_html"]

    news = get_json(client, f"{API}/news/?locale=ar&kind=event")
    assert [item["title"] for item in news["items"]] == ["زيارة تبادل إلى داكار"]
    assert news["items"][0]["kind"]["code"] == "event" and news["items"][0]["kind"]["label"] != "Event"
    assert get_json(client, f"{API}/news/{news['items'][0]['id']}/")["place"] == "داكار، السنغال"

    taxonomy = get_json(client, f"{API}/taxonomy/?locale=ar")
    pillars = next(v for v in taxonomy["vocabularies"] if v["code"] == "pillar")
    assert {"code": "II", "label": "منع الإرهاب ومكافحته"} in pillars["terms"]
    senegal = next(c for c in taxonomy["countries"] if c["code"] == "SN")
    assert senegal == {"code": "SN", "name": "السنغال", "region": {"code": "africa", "label": "أفريقيا"}}


def test_practices_api_honours_the_listing_filters(client):
    def titles(query):
        return {item["title"] for item in get_json(client, f"{API}/practices/?locale=en&{query}")["items"]}

    assert titles("pillar=I") == {SCHOOLS, "Community dialogue forums"}
    assert titles("pillar=I&region=asia-pacific") == {SCHOOLS}
    assert titles("pillar=I&pillar=IV&country=jo") == {PRISON}
    response = client.get(f"{API}/practices/?pillar=I&pillar=V")
    assert response.status_code == 400
    assert "'V'" in response.json()["detail"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("locale=xx", "Unknown locale"),
        ("limit=0", "limit"),
        ("limit=51", "limit cannot be higher than 50"),
        ("offset=-1", "offset"),
        ("offset=99999999999999999999", "offset"),
        ("limit=abc", "limit"),
    ],
)
def test_bad_api_parameters_are_a_clear_400(client, query, message):
    response = client.get(f"{API}/practices/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert message in response.content.decode()


def test_unknown_or_huge_ids_are_404_or_400(client):
    assert client.get(f"{API}/practices/999999/").status_code == 404
    assert client.get(f"{API}/practices/{10**30}/").status_code == 400
    chapter = ChapterPage.objects.filter(locale__language_code="en").first()
    assert client.get(f"{API}/practices/{chapter.pk}/").status_code == 404  # a chapter is not a practice


RESTRICTIONS = [
    {"restriction_type": PageViewRestriction.PASSWORD, "password": "secret"},
    {"restriction_type": PageViewRestriction.LOGIN},
    {"restriction_type": PageViewRestriction.GROUPS},
]


@pytest.mark.parametrize("restriction", RESTRICTIONS, ids=lambda r: r["restriction_type"])
def test_restricted_practice_is_absent_from_list_detail_and_exports(client, users, restriction):
    page = add_practice("Restricted practice")
    created = PageViewRestriction.objects.create(page=page, **restriction)
    if restriction["restriction_type"] == PageViewRestriction.GROUPS:
        created.groups.set([Group.objects.get(name="Moderators")])
    client.force_login(users["admin"])  # even a session that could read the page does not open the API to it
    listed = get_json(client, f"{API}/practices/?locale=en&limit=50")
    assert listed["count"] == 3 and "Restricted practice" not in {item["title"] for item in listed["items"]}
    assert client.get(f"{API}/practices/{page.pk}/").status_code == 404
    assert "Restricted practice" not in client.get("/en/data/practices.csv").content.decode()
    assert "Restricted practice" not in client.get("/en/data/practices.json").content.decode()


def test_draft_and_unpublished_practices_are_absent(client):
    draft = add_practice("Draft practice", publish=False)
    unpublished = CaseStudyPage.objects.get(pk=add_practice("Withdrawn practice").pk)
    unpublished.unpublish()
    published_then_edited = practice(SCHOOLS)
    published_then_edited.title = "Unpublished new title"
    published_then_edited.save_revision()
    listed = get_json(client, f"{API}/practices/?locale=en")
    assert {item["title"] for item in listed["items"]} == {SCHOOLS, PRISON, "Community dialogue forums"}
    for page in (draft, unpublished):
        assert client.get(f"{API}/practices/{page.pk}/").status_code == 404
    csv_text = client.get("/en/data/practices.csv").content.decode()
    assert "Draft practice" not in csv_text and "Withdrawn" not in csv_text and "Unpublished new" not in csv_text


def test_restriction_on_a_section_hides_the_pages_below_it(client):
    news_index = NewsIndexPage.objects.get(locale__language_code="en")
    PageViewRestriction.objects.create(page=news_index, restriction_type=PageViewRestriction.LOGIN)
    assert get_json(client, f"{API}/news/?locale=en")["count"] == 0
    item = NewsPage.objects.filter(locale__language_code="en").first()
    assert client.get(f"{API}/news/{item.pk}/").status_code == 404
    assert get_json(client, f"{API}/news/?locale=ar")["count"] == 2


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/practices/", "/practices/{id}/", "/chapters/", "/news/", "/taxonomy/", "/pages/"])
def test_writes_are_refused(users, method, path):
    page = practice(SCHOOLS)
    pages = Page.objects.count()
    signed_in = Client()
    signed_in.force_login(users["admin"])  # a superuser's session writes nothing either
    for client in (Client(), signed_in):
        response = getattr(client, method)(
            API + path.format(id=page.pk),
            data=json.dumps({"title": "Overwritten", "meta": {"type": "handbook.CaseStudyPage", "parent_id": 1}}),
            content_type="application/json",
            HTTP_AUTHORIZATION="Bearer not-a-token",
        )
        assert response.status_code in {401, 403, 404, 405}, response.content[:200]
    assert Page.objects.count() == pages
    assert practice(SCHOOLS).title == SCHOOLS


def test_openapi_description_is_served_and_read_only(client):
    schema = get_json(client, f"{API}/openapi.json")
    assert schema["openapi"].startswith("3.1")
    assert {"/api/v3/practices/", "/api/v3/practices/{page_id}/", "/api/v3/chapters/", "/api/v3/news/"} <= set(
        schema["paths"]
    )
    assert "/api/v3/taxonomy/" in schema["paths"]
    methods = {method for operations in schema["paths"].values() for method in operations}
    assert methods == {"get"}
    assert "securitySchemes" not in schema.get("components", {})  # nothing to authorise: all is public
    parameters = {p["name"] for p in schema["paths"]["/api/v3/practices/"]["get"]["parameters"]}
    assert {"locale", "pillar", "region", "country", "theme", "target", "limit", "offset"} <= parameters


def test_api_docs_page_loads_its_files_from_our_origin_under_the_strict_csp(client):
    response = client.get(f"{API}/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in html and "cdn" not in html.lower()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe" not in policy


# --- The exports -----------------------------------------------------------------------------------------------


def test_csv_export_in_arabic_opens_in_a_spreadsheet(client):
    response = client.get("/ar/data/practices.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = unquote(response["Content-Disposition"])
    assert disposition.startswith("attachment; filename*=utf-8''الممارسات-الجيدة-") and disposition.endswith(".csv")
    rows = export_rows(response)
    header = rows[0]
    assert header[0] == "عنوان" or header[0] == "العنوان"
    assert "الركائز" in header
    data = rows[1:4]
    schools = next(row for row in data if row[0] == SCHOOLS_AR)
    assert "الظروف المؤدية إلى انتشار الإرهاب" in schools and "I" in schools and "إندونيسيا" in schools
    assert rows[4] == []
    assert rows[5][0].startswith("الترخيص: CC BY 4.0")
    assert rows[6][0].startswith("يُستشهد به") and "/ar/data/practices.csv" in rows[6][0]


def test_csv_cells_cannot_start_a_formula(client):
    hostile = {
        "=": '=HYPERLINK("http://evil.example","x")',
        "+": "+cmd|' /C calc'!A0",
        "-": "-2+3",
        "@": "@SUM(1+1)",
        "\t": "\t=1+1",
        "\r": "\r=1+1",
    }
    for start, title in hostile.items():
        add_practice(title, summary=f"{start}summary")
    rows = export_rows(Client().get("/en/data/practices.csv"))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}]
    titles = {row[0] for row in rows if row}
    assert {"'" + title for title in hostile.values()} <= titles


def test_exports_honour_the_listing_filters(client):
    rows = export_rows(client.get("/en/data/practices.csv?pillar=IV"))
    assert [row[0] for row in rows[1:] if row and not row[0].startswith(("Licence", "Cite"))] == [PRISON]
    data = get_json(client, "/en/data/practices.json?pillar=I&region=asia-pacific")
    assert [item["title"] for item in data["practices"]] == [SCHOOLS]
    assert data["filters"] == {"pillar": ["I"], "region": ["asia-pacific"]}
    assert "pillar=I&region=asia-pacific" in data["citation"]

    refused = client.get("/en/data/practices.csv?pillar=I&theme=no-such-theme")
    assert refused.status_code == 400
    assert "no-such-theme" in refused.content.decode()


def test_json_export_in_arabic(client):
    response = client.get("/ar/data/practices.json?country=sn")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert unquote(response["Content-Disposition"]).endswith(".json")
    data = response.json()
    assert data["locale"] == "ar" and data["count"] == 1
    assert data["licence"]["url"].startswith("https://creativecommons.org/")
    assert data["citation"].startswith("يُستشهد به")
    [item] = data["practices"]
    assert item["implementing_country"] == {"code": "SN", "name": "السنغال"}
    assert item["pillars"][1] == {"code": "II", "label": "منع الإرهاب ومكافحته"}
    assert "experts" not in item and "centres" not in item


def test_listing_links_to_the_export_of_what_it_shows(client):
    html = client.get("/en/practices/?pillar=I&pillar=bogus&region=africa").content.decode()
    assert 'href="/en/data/practices.csv?pillar=I&amp;region=africa"' in html
    assert 'href="/en/data/practices.json?pillar=I&amp;region=africa"' in html
    arabic = client.get("/ar/practices/").content.decode()
    assert 'href="/ar/data/practices.csv"' in arabic and "تنزيل هذه الممارسات" in arabic


def test_queries_do_not_grow_with_the_number_of_practices(client):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = [f"{API}/practices/?locale=en", "/en/data/practices.csv"]
    for url in urls:
        client.get(url)  # the site's root paths are cached by the first request
    before = {url: queries(url) for url in urls}
    for number in range(3):
        add_practice(f"Another practice {number}")
    assert {url: queries(url) for url in before} == before


def test_admin_offers_no_api_tokens(client, users):
    client.force_login(users["admin"])
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "api-tokens" not in dashboard.content.decode()
