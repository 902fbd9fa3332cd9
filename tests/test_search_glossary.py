"""Search that finds what readers mean, on the database backend (the engine: ``tests/integration/test_search.py``):
the editors' glossary (synonyms applied to the query, at once, no reindexing), "Did you mean" on a misspelt query,
the page without results (suggestion, related glossary terms, the listing's filters) in the reader's language, and
the editors' anonymous query report."""

import datetime
import itertools
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale

from handbook.factories import CaseStudyPageFactory
from handbook.models import CaseStudyIndexPage, Country, Term
from search.models import GlossaryEntry, SearchQueryCount
from search.query_log import normalise

pytestmark = pytest.mark.django_db
serial = itertools.count()
REPORT = "/admin/search/queries/"


@pytest.fixture(autouse=True)
def database_backend(settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}


def publish(language, title, summary):
    """A practice in the language (the sample site has English and Arabic trees; in another language the practice is
    translated from English, its parents with it, as a translator's first translation would be)."""
    locale = Locale.objects.get(language_code=language)
    listing = CaseStudyIndexPage.objects.filter(locale=locale).first()
    page = CaseStudyPageFactory.build(
        title=title,
        summary=summary,
        locale=locale if listing else Locale.objects.get(language_code="en"),
        slug=f"glossary-search-{next(serial)}",
        implementing_country=Country.objects.get(code="SN"),
    )
    page.pillars = list(Term.objects.filter(vocabulary="pillar", code="I", locale__language_code="en"))
    (listing or CaseStudyIndexPage.objects.get(locale__language_code="en")).add_child(instance=page)
    page.save_revision().publish()
    if listing is None:
        page = page.copy_for_translation(locale, copy_parents=True)
        page.title, page.summary = title, summary
        page.save_revision().publish()
    return page


def found(client, language, query):
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'class="result" data-page-id="(\d+)"', response.content.decode())}


def signed_in(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_an_editors_new_synonym_finds_the_page_at_once(client):
    page = publish("en", "Preventing violent extremism through okapi clubs", "Clubs for young okapi keepers.")
    assert page.pk not in found(client, "en", "P/CVE")

    editor = signed_in("editor")
    english = Locale.objects.get(language_code="en")
    response = editor.post(
        f"/admin/snippets/search/glossaryentry/add/?locale={english.language_code}",
        {"term": "preventing violent extremism", "synonyms": "P/CVE\nPVE", "locale": english.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert page.pk in found(client, "en", "P/CVE okapi")  # no reindexing: the next search already knows
    assert page.pk in found(client, "en", "pve okapi")
    # The reader's other words still count: no page holds them all, so the page is offered as a partial match.
    partial = client.get("/en/search/", {"q": "P/CVE zebra"}).content.decode()
    assert "No page contains all of your words" in partial


def test_arabic_synonyms_match_with_or_without_diacritics_and_hamza_forms(client):
    page = publish("ar", "منع التطرف العنيف في أندية الأوكابي", "أندية للشباب.")
    GlossaryEntry.objects.create(
        locale=Locale.objects.get(language_code="ar"), term="التطرف العنيف", synonyms="التطرف المفضي إلى الإرهاب"
    )
    assert page.pk in found(client, "ar", "التطرف المفضي إلى الإرهاب")
    assert page.pk in found(client, "ar", "التَّطَرُّف المفضي الى الارهاب")  # diacritics, alif without hamza
    assert page.pk not in found(client, "en", "التطرف المفضي إلى الإرهاب")  # each language keeps its own glossary


RELAXED = {
    "en": "No page contains all of your words: these results contain some of them.",
    "ar": "لا تحتوي أي صفحة على جميع الكلمات التي بحثت عنها: هذه النتائج تحتوي على بعضها.",
}


@pytest.mark.parametrize(
    ("language", "title", "other_title", "query"),
    [
        (
            "en",
            "Okapi keepers build trust with young people",
            "Okapi keepers",
            # A content word no page holds ("volunteers"): PostgreSQL's English search drops stop words such as
            # "between" and "and", so a query missing only those would be held whole there.
            "trust between okapi keepers and young volunteers",
        ),
        ("ar", "حراس الأوكابي يبنون الثقة مع الشباب", "حراس الأوكابي", "الثقة بين حراس الأوكابي و الشباب"),
    ],
)
def test_a_query_no_page_holds_whole_finds_the_pages_with_most_of_its_words(
    client, language, title, other_title, query
):
    best = publish(language, title, "—")
    weaker = publish(language, other_title, "—")
    body = client.get(f"/{language}/search/", {"q": query}).content.decode()
    shown = [int(pk) for pk in re.findall(r'class="result" data-page-id="(\d+)"', body)]
    assert shown == [best.pk]  # a page with fewer than half of the words is no answer
    assert RELAXED[language] in body
    # A query some page holds whole is answered as before, without the notice.
    body = client.get(f"/{language}/search/", {"q": other_title}).content.decode()
    assert {best.pk, weaker.pk} <= {int(pk) for pk in re.findall(r'data-page-id="(\d+)"', body)}
    assert RELAXED[language] not in body
    # The editors' report counts the partial answer among the searches without results.
    assert SearchQueryCount.objects.get(query=normalise(query)).zero_results == 1


def test_a_glossary_entry_is_checked_in_the_admin(client):
    editor = signed_in("editor")
    response = editor.post(
        "/admin/snippets/search/glossaryentry/add/?locale=en",
        {"term": "returnees", "synonyms": "\n".join(f"word {i}" for i in range(40)), "locale": 1},
    )
    assert response.status_code == 200
    assert "At most 30 synonyms per term." in response.content.decode()
    assert not GlossaryEntry.objects.filter(term="returnees").exists()


@pytest.mark.parametrize(
    ("language", "title", "typo", "word", "did_you_mean"),
    [
        ("en", "Rehabilitation of okapi keepers", "rehabilitaton", "rehabilitation", "Did you mean:"),
        ("ar", "إعادة تأهيل حراس الأوكابي", "الأوكابى حراص", "حراس", "هل تقصد:"),
        ("fr", "Réinsertion des gardiens d'okapis", "reinsertoin", "réinsertion", "Vouliez-vous dire :"),
        ("es", "Reintegración de guardianes de okapis", "reintegracoin", "reintegración", "Quizá quiso decir:"),
        ("ru", "Реинтеграция хранителей окапи", "реинтеграцыя", "реинтеграция", "Возможно, вы имели в виду:"),
        # Chinese: a character a pinyin input method mistyped (住 for 主), and one left out (怖).
        ("zh-hans", "恐怖主义融资 社区对话", "恐怖住义融资", "恐怖主义融资", "您是不是要找："),
        ("zh-hans", "恐怖主义融资 社区对话", "恐主义融资", "恐怖主义融资", "您是不是要找："),
    ],
)
def test_a_misspelt_query_gets_did_you_mean_in_the_readers_language(client, language, title, typo, word, did_you_mean):
    page = publish(language, title, "—")
    body = client.get(f"/{language}/search/", {"q": typo, "pillar": "I"}).content.decode()
    assert did_you_mean in body
    suggestion = re.search(r'<a href="([^"]+)" data-suggestion><bdi>([^<]+)</bdi>', body)
    assert word in suggestion.group(2).casefold()
    url = suggestion.group(1).replace("&amp;", "&")
    assert "pillar=I" in url  # the reader's filters are kept
    assert page.pk in {
        int(pk) for pk in re.findall(r'data-page-id="(\d+)"', client.get(f"/{language}/search/{url}").content.decode())
    }


def test_the_page_without_results_offers_related_terms_and_the_listings_filters(client):
    GlossaryEntry.objects.create(
        locale=Locale.objects.get(language_code="ar"), term="المقاتلون الإرهابيون الأجانب", synonyms="المقاتلين الأجانب"
    )
    body = client.get("/ar/search/", {"q": "الأجانب زرافة"}).content.decode()
    assert "مصطلحات ذات صلة من المسرد" in body
    assert "المقاتلين الأجانب" in body
    assert "تصفح الممارسات بدلا من ذلك" in body
    listing = CaseStudyIndexPage.objects.get(locale__language_code="ar").url
    assert re.search(rf'href="{re.escape(listing)}\?pillar=I" data-browse>', body)
    # A search with results shows none of it.
    page = publish("ar", "زرافة", "—")
    body = client.get("/ar/search/", {"q": "زرافة"}).content.decode()
    assert f'data-page-id="{page.pk}"' in body and "data-browse" not in body


def test_the_query_report_counts_searches_without_keeping_who_searched(client):
    publish("en", "Okapi dialogue", "—")
    for query in ["Okapi", "okapi ", "OKAPI", "zebra crossings", "call me at 0123 456 789 or mail a@b.org"]:
        client.get("/en/search/", {"q": query}, REMOTE_ADDR="203.0.113.9")
    client.get("/en/search/", {"q": "okapi", "page": "2"})  # a further page is not a further search
    client.get("/ar/search/", {"q": "زرافة"})

    assert {field.name for field in SearchQueryCount._meta.get_fields()} == {
        "id",
        "day",
        "language",
        "query",
        "searches",
        "zero_results",
    }
    stored = set(SearchQueryCount.objects.values_list("query", flat=True))
    assert "call me at [number] or mail [email]" in stored
    assert not any("203.0.113.9" in text or "a@b.org" in text or "456" in text for text in stored)

    editor = signed_in("editor")
    assert REPORT in editor.get("/admin/").content.decode()  # the Reports menu offers it
    body = editor.get(REPORT, {"days": 7, "language": "en"}).content.decode()
    frequent = body.split('data-table="frequent"')[1].split("</table>")[0]
    zero = body.split('data-table="zero"')[1].split("</table>")[0]
    assert re.search(r"<bdi>okapi</bdi></td>\s*<td>English</td>\s*<td>3</td>\s*<td>0</td>", frequent)
    assert "zebra crossings" in zero and "okapi" not in zero
    assert "زرافة" not in body  # the English report only
    assert "زرافة" in editor.get(REPORT, {"days": 30}).content.decode()

    bad = editor.get(REPORT, {"days": "365", "language": "xx"})
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.content.decode()
    assert signed_in("translator").get(REPORT).status_code == 403


def test_query_counts_older_than_the_retention_period_are_deleted(client, settings):
    settings.SEARCH_QUERY_RETENTION_DAYS = 30
    today = timezone.localdate()
    SearchQueryCount.objects.create(day=today - datetime.timedelta(days=31), language="en", query="old", searches=1)
    SearchQueryCount.objects.create(day=today - datetime.timedelta(days=29), language="en", query="recent", searches=1)
    client.get("/en/search/", {"q": "okapi"})
    assert set(SearchQueryCount.objects.values_list("query", flat=True)) == {"recent", "okapi"}
