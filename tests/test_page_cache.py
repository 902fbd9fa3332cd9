"""The anonymous page cache, over HTTP: an anonymous reader's second visit is served whole from the cache (no SQL),
a signed-in user never gets a kept page, a page that uses a CSRF token or the CSP nonce is never kept, and every
change a page shows is on it at the next visit, in every language, while pages the change does not touch stay
kept (``core/page_cache.py``, ``core/invalidation.py``).

The sample site is in English and Arabic (tests/sample_site.py); ``/fr/…`` addresses show the English original
(the fallback), and are purged with the rest.
"""

import re

import pytest
from django.middleware.csrf import get_token
from wagtail.models import Page

from accounts.security import PUBLIC_POLICY
from core.page_cache import CACHE_HEADER
from handbook.models import CaseStudyPage, ChapterPage, Term
from handbook.models.people import Expert, Visibility
from home.models import AboutPage, HomePage

pytestmark = pytest.mark.django_db

PRACTICE = "/en/practices/community-dialogue/"
PRACTICE_AR = "/ar/practices/community-dialogue/"
PRACTICE_FR = "/fr/practices/community-dialogue/"  # no French translation: the English original, as a fallback
LISTINGS = ["/en/practices/", "/ar/practices/", "/fr/practices/", "/en/practices/?pillar=I", "/en/", "/ar/"]
NEWS_ITEM = "/en/news/regional-workshop/"
ABOUT = "/en/about/"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 3600


def visit(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def kept(client, *urls):
    """Visit each address twice: the second visit is served from the cache."""
    for url in urls:
        visit(client, url)
        assert visit(client, url)[CACHE_HEADER] == "hit", url


def text(response):
    return response.content.decode()


def publish_title(model, language, slug, title):
    page = model.objects.get(locale__language_code=language, slug=slug).specific
    page.title = title
    page.save_revision().publish()
    return page


def test_a_second_anonymous_visit_is_served_from_the_cache_without_sql(client, django_assert_num_queries):
    first = visit(client, PRACTICE)
    assert first[CACHE_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = visit(client, PRACTICE)
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert "Surrogate-Control" in second  # what a front cache (deploy/varnish/default.vcl) may keep


def test_signed_in_users_never_get_a_kept_page(client, users):
    kept(client, PRACTICE)
    client.force_login(users["editor"])
    for _ in range(2):
        response = visit(client, PRACTICE)
        assert CACHE_HEADER not in response
        assert "Surrogate-Control" not in response


def test_a_reader_with_a_message_waiting_gets_the_page_rendered_for_them(client):
    kept(client, PRACTICE)
    client.cookies["messages"] = "a message set by a form"
    assert CACHE_HEADER not in visit(client, PRACTICE)


def test_a_cached_page_carries_no_nonce_and_a_policy_of_its_own(client):
    visit(client, PRACTICE)
    hit = visit(client, PRACTICE)
    assert hit[CACHE_HEADER] == "hit"
    assert "nonce-" not in hit["Content-Security-Policy"]
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert "nonce=" not in text(hit)  # every script of a public page is a file of our origin


def test_a_kept_page_is_answered_with_the_same_headers_as_its_first_rendering(client):
    first = visit(client, PRACTICE)
    hit = visit(client, PRACTICE)
    assert hit[CACHE_HEADER] == "hit"
    for header in ["Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"]:
        assert header in first, header  # the security headers this compares are there
    assert {**hit.headers, CACHE_HEADER: ""} == {**first.headers, CACHE_HEADER: ""}
    assert hit.status_code == first.status_code


def test_a_changed_policy_is_on_the_next_answer_kept_page_or_not(client, settings):
    visit(client, PRACTICE)
    assert "images.example.org" not in visit(client, PRACTICE)["Content-Security-Policy"]
    directives = {**PUBLIC_POLICY, "img-src": [*PUBLIC_POLICY["img-src"], "https://images.example.org"]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    for url in [PRACTICE, "/en/exchange/"]:  # a kept page, and a view that is never kept
        # django-csp orders the directives differently in each process: find the directive, wherever it stands.
        sent = [part.strip() for part in visit(client, url)["Content-Security-Policy"].split(";")]
        assert "img-src 'self' data: https://images.example.org" in sent
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": PUBLIC_POLICY}
    assert "images.example.org" not in visit(client, PRACTICE)["Content-Security-Policy"]


def test_a_page_that_uses_the_nonce_is_never_kept_and_each_reader_gets_a_nonce_of_their_own(client, monkeypatch):
    serve = HomePage.serve

    def serve_with_inline_script(page, request, *args, **kwargs):
        response = serve(page, request, *args, **kwargs).render()
        response.content += f'<script nonce="{request.csp_nonce}">1</script>'.encode()
        return response

    monkeypatch.setattr(HomePage, "serve", serve_with_inline_script)
    nonces = []
    for _ in range(2):
        response = visit(client, "/en/")
        assert CACHE_HEADER not in response
        (nonce,) = re.findall(r'<script nonce="([^"]+)">', text(response))
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_a_page_that_renders_a_form_with_a_csrf_token_is_never_kept(client, monkeypatch):
    get_context = HomePage.get_context

    def with_form(page, request, *args, **kwargs):
        context = get_context(page, request, *args, **kwargs)
        context["csrf"] = get_token(request)
        return context

    monkeypatch.setattr(HomePage, "get_context", with_form)
    for _ in range(2):
        response = visit(client, "/en/")
        assert CACHE_HEADER not in response
        assert "csrftoken" in response.cookies


def test_views_that_are_not_pages_are_not_kept(client):
    for _ in range(2):
        form = client.get("/en/exchange/")
        assert CACHE_HEADER not in form
        assert "csrftoken" in form.cookies


def test_publishing_a_practice_shows_at_once_in_every_language_and_leaves_unrelated_pages_kept(client):
    kept(client, PRACTICE, PRACTICE_AR, PRACTICE_FR, *LISTINGS, NEWS_ITEM, ABOUT, "/en/practices/prison-mentoring/")
    publish_title(CaseStudyPage, "en", "community-dialogue", "Community dialogue forums, second phase")
    for url in [PRACTICE, PRACTICE_FR, "/en/practices/", "/fr/practices/", "/en/practices/?pillar=I"]:
        assert "second phase" in text(visit(client, url)), url
    for url in [PRACTICE_AR, "/ar/practices/", "/en/", "/ar/"]:
        assert visit(client, url)[CACHE_HEADER] == "miss", url  # rendered afresh, from the changed data
    for url in [NEWS_ITEM, ABOUT, "/en/practices/prison-mentoring/"]:
        assert visit(client, url)[CACHE_HEADER] == "hit", url


def test_publishing_a_translation_replaces_the_fallback_at_once(client):
    kept(client, "/ar/news/regional-workshop/", NEWS_ITEM, ABOUT)
    publish_title(Page, "ar", "regional-workshop", "ورشة عمل إقليمية محدثة")
    assert "ورشة عمل إقليمية محدثة" in text(visit(client, "/ar/news/regional-workshop/"))
    assert "ورشة عمل إقليمية محدثة" in text(visit(client, "/ar/news/"))
    assert visit(client, ABOUT)[CACHE_HEADER] == "hit"


def test_unpublishing_a_practice_takes_it_off_its_address_and_its_listings_at_once(client):
    kept(client, PRACTICE, PRACTICE_FR, "/en/practices/", "/fr/practices/", NEWS_ITEM)
    CaseStudyPage.objects.get(locale__language_code="ar", slug="community-dialogue").unpublish()
    CaseStudyPage.objects.get(locale__language_code="en", slug="community-dialogue").unpublish()
    assert client.get(PRACTICE).status_code == 404
    assert client.get(PRACTICE_FR).status_code == 404
    assert "Community dialogue forums" not in text(visit(client, "/en/practices/"))
    assert "Community dialogue forums" not in text(visit(client, "/fr/practices/"))
    assert visit(client, NEWS_ITEM)[CACHE_HEADER] == "hit"


def test_moving_a_chapter_reorders_the_handbook_and_the_reading_order_at_once(client):
    kept(client, "/en/handbook/", "/en/handbook/pillar-i/", NEWS_ITEM)
    last = ChapterPage.objects.get(locale__language_code="en", slug="pillar-iv")
    first = ChapterPage.objects.get(locale__language_code="en", slug="pillar-i")
    last.move(first, pos="left")
    handbook = text(visit(client, "/en/handbook/"))
    assert handbook.index("/en/handbook/pillar-iv/") < handbook.index("/en/handbook/pillar-i/")
    assert "/en/handbook/pillar-iv/" in text(visit(client, "/en/handbook/pillar-i/"))  # now the previous chapter
    assert visit(client, NEWS_ITEM)[CACHE_HEADER] == "hit"


def test_renaming_a_term_shows_on_the_pages_that_name_it_and_their_listings(client):
    kept(client, PRACTICE_AR, "/ar/practices/", "/ar/news/regional-workshop/", ABOUT)
    pillar = Term.objects.get(locale__language_code="ar", code="I")
    pillar.name = "الظروف المؤدية إلى الإرهاب (محدث)"
    pillar.save()
    for url in [PRACTICE_AR, "/ar/practices/"]:
        assert "(محدث)" in text(visit(client, url)), url
    for url in ["/ar/news/regional-workshop/", ABOUT]:
        assert visit(client, url)[CACHE_HEADER] == "hit", url


def test_an_expert_who_withdraws_is_no_longer_named_on_any_kept_page(client):
    kept(client, PRACTICE, PRACTICE_AR, NEWS_ITEM)
    assert "Amina Diallo" in text(visit(client, PRACTICE))
    english = Expert.objects.get(locale__language_code="en", name="Amina Diallo")
    for expert in Expert.objects.filter(translation_key=english.translation_key):  # each language's row
        expert.visibility = Visibility.HIDDEN
        expert.save()
    for url in [PRACTICE, PRACTICE_AR, "/fr/practices/community-dialogue/"]:
        assert "Amina Diallo" not in text(visit(client, url)), url
    assert visit(client, NEWS_ITEM)[CACHE_HEADER] == "hit"


def test_a_new_menu_section_shows_on_every_page_at_once(client):
    kept(client, PRACTICE, "/ar/", NEWS_ITEM)
    publish_title(AboutPage, "en", "about", "About the programme, renamed")
    for url in [PRACTICE, "/fr/", NEWS_ITEM]:
        assert "About the programme, renamed" in text(visit(client, url)), url
