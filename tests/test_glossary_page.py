"""The public glossary page (/<language>/glossary/): the editors' search glossary shown to readers in their language
(the default language's entry while a translation is missing), sorted as the language sorts, each entry linkable and
searchable; linked from a search without results and from the sitemap."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from wagtail.models import Locale

from search.models import GlossaryEntry

pytestmark = pytest.mark.django_db


def entry(language, term, synonyms="", source=None):
    found = GlossaryEntry(locale=Locale.objects.get(language_code=language), term=term, synonyms=synonyms)
    if source is not None:
        found.translation_key = source.translation_key
    found.save()
    return found


def shown_terms(body):
    return [term.strip() for term in re.findall(r'<dt class="glossary__term"[^>]*>\s*<bdi>([^<]+)</bdi>', body)]


def test_an_entry_in_english_and_its_arabic_translation_in_arabic(client):
    english = entry("en", "foreign terrorist fighters", "FTF\nforeign fighters")
    entry("ar", "المقاتلون الإرهابيون الأجانب", "المقاتلون الأجانب", source=english)

    body = client.get("/en/glossary/").content.decode()
    assert shown_terms(body) == ["foreign terrorist fighters"]
    assert "FTF" in body and "foreign fighters" in body
    assert f'id="term-{english.translation_key}"' in body  # linkable, with the same anchor in every language
    link = re.search(r'<a href="([^"]+)" data-glossary-search>', body).group(1).replace("&amp;", "&")
    assert urlsplit(link).path == "/en/search/"
    assert parse_qs(urlsplit(link).query) == {"q": ["foreign terrorist fighters"]}

    response = client.get("/ar/glossary/")
    body = response.content.decode()
    assert re.search(r'<html lang="ar" dir="rtl">', body)
    assert "المسرد" in body  # the page's own words in Arabic
    assert shown_terms(body) == ["المقاتلون الإرهابيون الأجانب"]
    assert "المقاتلون الأجانب" in body and "foreign terrorist fighters" not in body
    assert f'id="term-{english.translation_key}"' in body
    link = re.search(r'<a href="([^"]+)" data-glossary-search>', body).group(1).replace("&amp;", "&")
    assert urlsplit(link).path == "/ar/search/"
    assert parse_qs(urlsplit(link).query) == {"q": ["المقاتلون الإرهابيون الأجانب"]}


def test_an_untranslated_entry_is_shown_in_the_default_language_marked_as_such(client):
    entry("en", "disengagement", "exit work")
    body = Client().get("/fr/glossary/").content.decode()
    assert re.search(r'<dt class="glossary__term" lang="en" dir="ltr">\s*<bdi>disengagement</bdi>', body)
    assert "Glossaire" in body
    # In the Arabic glossary the English entry keeps its own direction.
    arabic = Client().get("/ar/glossary/").content.decode()
    assert re.search(r'<dt class="glossary__term" lang="en" dir="ltr">\s*<bdi>disengagement</bdi>', arabic)


@pytest.mark.parametrize(
    ("language", "terms", "expected"),
    [
        # Byte (code point) order puts "Écart" after "Zèle" and "Éducation" after "Extrémisme".
        (
            "fr",
            ["Zèle", "Écart", "Extrémisme", "Éducation", "abandon"],
            ["abandon", "Écart", "Éducation", "Extrémisme", "Zèle"],
        ),
        # Arabic lists ignore the article (التطرف under ت) and read إ as ا; byte order puts إ before every ا.
        ("ar", ["التطرف", "تمويل", "إرهاب", "اتصال"], ["اتصال", "إرهاب", "التطرف", "تمويل"]),
    ],
)
def test_entries_are_sorted_as_the_readers_language_sorts(client, language, terms, expected):
    for term in terms:
        entry(language, term)
    assert sorted(terms) != expected  # the byte order would be wrong
    assert shown_terms(client.get(f"/{language}/glossary/").content.decode()) == expected


def test_a_search_without_results_and_the_sitemap_link_to_the_glossary(client):
    body = client.get("/es/search/", {"q": "zzqxv"}).content.decode()
    assert re.search(r'<a href="/es/glossary/" data-glossary-link>Glosario de términos</a>', body)
    returnees = entry("es", "retornados", "repatriados")
    body = client.get("/es/search/", {"q": "repatriados zzqxv"}).content.decode()
    anchor = f"/es/glossary/#term-{returnees.translation_key}"
    assert re.search(rf'<a href="{anchor}" data-glossary-entry>en el glosario</a>', body)  # the related term's entry
    assert f'id="term-{returnees.translation_key}"' in client.get("/es/glossary/").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/en/glossary/</loc>" in sitemap and "/ar/glossary/</loc>" in sitemap


@pytest.mark.parametrize(
    "query", ["?q=%00", "?a=1&a=2&term=%ff", "?" + "x" * 5000, "?page=-1&lang=<script>", "?%E2%80%AE=1"]
)
def test_odd_query_strings_never_fail(client, query):
    entry("en", "returnees")
    response = client.get("/en/glossary/" + query)
    assert response.status_code == 200
    assert "returnees" in response.content.decode()


def test_only_get_is_answered(client):
    assert client.post("/en/glossary/").status_code == 405
