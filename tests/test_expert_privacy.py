"""An expert's profile reaches only the readers their recorded consent allows, in every output that shows experts.

Each test links an expert whose name is a marker word found nowhere else to a published practice (and a centre),
chooses their visibility, and reads every output as an anonymous reader, a signed-in reader without a role, a
pending sign-up (e-mail verified, not yet approved by staff), a registered member and programme staff: the experts
directory (and its language filter's options), the profile
page, the practice that links to the expert (which then says "a focal point in <country>" in the reader's
language), the centre's page, the search page (results, facet counts, suggestions), the sitemap, the feeds and
the practice's PDF edition.
Search runs on Wagtail's database backend here; ``tests/integration/test_expert_privacy_search.py`` checks the
real engine.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.test import Client
from wagtail.models import Locale, PageViewRestriction
from wagtail.search import index

from accounts.models import MembershipRequest
from accounts.roles import MEMBERS, PROGRAMME_STAFF
from books.models import PdfEdition
from handbook.factories import CaseStudyPageFactory, CentreFactory, ExpertFactory
from handbook.models import CaseStudyIndexPage, CaseStudyPage, Country, Term
from handbook.models.people import ConsentRecord, Visibility

from .test_books import pdf_text

pytestmark = pytest.mark.django_db
MARKER = "Quorvantiel"  # in no other row, page or catalogue
READERS = ["anonymous", "signed-in", "pending", "member", "staff"]
SEES = {  # visibility: the readers who may see the profile
    Visibility.PUBLIC: {"anonymous", "signed-in", "pending", "member", "staff"},
    Visibility.MEMBERS: {"member", "staff"},
    Visibility.STAFF: {"staff"},
    Visibility.HIDDEN: set(),
}


@pytest.fixture(autouse=True)
def database_backend(settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}


def reader_client(reader):
    client = Client()
    if reader == "anonymous":
        return client
    user = get_user_model().objects.create_user(f"reader-{reader}", password="unused-password-1")
    group = {"member": MEMBERS, "staff": PROGRAMME_STAFF}.get(reader)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if reader == "pending":  # signed up and verified the address; staff have not approved the request yet
        user.emailaddress_set.create(email="pending@example.org", verified=True, primary=True)
        MembershipRequest.objects.create(user=user, full_name="Pending Reader", organisation="-", language="en")
    client.force_login(user)
    return client


def prison_mentoring():
    return CaseStudyPage.objects.live().get(locale__language_code="en", slug="prison-mentoring")


@pytest.fixture
def practice():
    return prison_mentoring()


def mark(practice, centre, visibility):
    """Make the marker expert (in Kenya, speaking Tigrinya, which no other expert speaks) with a visibility, linked to
    the practice in every language and to a centre; the practice's index entry is rebuilt as publishing would."""
    expert = ExpertFactory(
        name=MARKER,
        name_latin=MARKER,
        role="Mediator",
        country=Country.objects.get(code="KE"),
        languages="ti en",
        visibility=visibility,
    )
    for page in CaseStudyPage.objects.filter(translation_key=practice.translation_key):
        page.experts.add(expert)
        page.save()
        index.insert_or_update_object(page)
    centre.experts.add(expert)
    expert.centre = centre
    return expert


def nyeri_centre():
    return CentreFactory(name="Nyeri Institute for Dialogue", country=Country.objects.get(code="KE"))


@pytest.fixture
def marked(practice):
    """``mark`` with the visibility the test chooses."""
    centre = nyeri_centre()
    return lambda visibility: mark(practice, centre, visibility)


def shows_marker(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404), url
    return MARKER in response.content.decode()


def test_the_practice_names_a_hidden_expert_by_country_in_the_readers_language(marked, practice):
    marked(Visibility.MEMBERS)
    arabic = CaseStudyPage.objects.get(translation_key=practice.translation_key, locale__language_code="ar")
    page = Client().get(arabic.url).content.decode()
    assert MARKER not in page
    assert "جهة تنسيق في كينيا" in page


def search_counts(html):
    """The result count (English), and the content type facet's expert count (None when no expert is offered)."""
    total = re.search(r'search-results__count">(\d+)', html)
    total = int(total.group(1)) if total else None  # Arabic says "one result" and "no result" in words
    facet = re.search(r'data-code="expert"[^>]*>[^<]*</a> <span class="facets__count">(\d+)', html)
    return total, int(facet.group(1)) if facet else None


@pytest.fixture(scope="class", params=list(SEES))
def visibility(request):
    return request.param


@pytest.fixture(scope="class")
def expert(visibility, rolled_back, django_db_blocker):
    """The marker expert with the class's visibility, built once for the class's tests of that visibility."""
    with rolled_back():
        with django_db_blocker.unblock():
            built = mark(prison_mentoring(), nyeri_centre(), visibility)
        yield built


class TestEachReaderOfAnExpertOfEachVisibility:
    """Each output, read by each reader, of the marker expert with each visibility. The expert is built once per
    visibility for all of the class's tests (pytest runs them grouped by it; each build costs about a second), which
    only read it."""

    @pytest.mark.parametrize("reader", READERS)
    def test_the_experts_directory_and_profile_show_the_expert_only_to_readers_allowed(
        self, expert, visibility, reader
    ):
        client = reader_client(reader)
        allowed = reader in SEES[visibility]
        assert shows_marker(client, "/en/experts/") is allowed
        profile = client.get(f"/en/experts/{expert.translation_key}/")
        assert profile.status_code == (200 if allowed else 404)
        assert (MARKER in profile.content.decode()) is allowed
        if allowed:
            assert "private" in profile["Cache-Control"] and "Cookie" in profile["Vary"]
        # The language filter offers only the languages of profiles the reader may see.
        assert ('value="ti"' in client.get("/en/experts/").content.decode()) is allowed

    @pytest.mark.parametrize("reader", READERS)
    def test_the_practice_and_the_centre_name_the_expert_only_to_readers_allowed(
        self, expert, practice, visibility, reader
    ):
        client = reader_client(reader)
        allowed = reader in SEES[visibility]
        response = client.get(practice.url)
        page = response.content.decode()
        assert (MARKER in page) is allowed
        if reader != "anonymous":
            assert "private" in response["Cache-Control"]  # what a member or staff saw is never in a shared cache
        assert ("A focal point in Kenya" in page) is not allowed
        assert shows_marker(client, f"/en/centres/{expert.centre.translation_key}/") is allowed

    @pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.STAFF], indirect=True)
    @pytest.mark.parametrize("reader", READERS)
    def test_search_shows_a_restricted_expert_only_to_readers_allowed_and_never_finds_the_practice_by_the_name(
        self, expert, practice, visibility, reader
    ):
        """The expert is a result of its own type, with its count in the content type facet and its name among the
        suggestions, for the readers ``visible_to`` allows and nobody else; the practice's index is shared by every
        reader, so the practice is findable by its public experts' names only, whoever searches."""
        client = reader_client(reader)
        allowed = reader in SEES[visibility]
        for language in ("en", "ar"):  # the Arabic reader gets the English row: the expert has no translation yet
            response = client.get(f"/{language}/search/?q={MARKER}")
            html = response.content.decode()
            assert "private" in response["Cache-Control"] and "Cookie" in response["Vary"]
            assert (f'href="/{language}/experts/{expert.translation_key}/"' in html) is allowed
            assert ('data-result-type="expert"' in html) is allowed
            assert f'data-page-id="{practice.pk}"' not in html
            assert search_counts(html)[1] == (1 if allowed else None)
        assert search_counts(client.get(f"/en/search/?q={MARKER}").content.decode())[0] == (1 if allowed else 0)
        narrowed = client.get(f"/en/search/?q={MARKER}&type=expert").content.decode()
        assert search_counts(narrowed)[0] == (1 if allowed else 0)
        suggestions = client.get(f"/en/search/suggest/?q={MARKER[:5]}")
        assert "private" in suggestions["Cache-Control"]
        assert (MARKER in repr(suggestions.json()["results"])) is allowed


def test_a_public_expert_finds_the_practice_until_consent_is_withdrawn(
    marked, practice, django_capture_on_commit_callbacks
):
    expert = marked(Visibility.PUBLIC)
    client = Client()
    searched = client.get(f"/en/search/?q={MARKER}").content.decode()
    assert f'data-page-id="{practice.pk}"' in searched and 'data-result-type="expert"' in searched
    assert MARKER in repr(client.get(f"/en/search/suggest/?q={MARKER[:5]}").json()["results"])
    staff = get_user_model().objects.create_user("recorder", password="unused-password-1")
    with django_capture_on_commit_callbacks(execute=True):
        expert.withdraw_consent(recorded_by=staff)
    # Everywhere at once: directory, profile, practice, centre, search.
    assert not shows_marker(client, "/en/experts/")
    assert client.get(f"/en/experts/{expert.translation_key}/").status_code == 404
    assert not shows_marker(client, practice.url)
    assert not shows_marker(client, f"/en/centres/{expert.centre.translation_key}/")
    searched = client.get(f"/en/search/?q={MARKER}").content.decode()
    assert f'data-page-id="{practice.pk}"' not in searched and 'data-result-type="expert"' not in searched
    assert MARKER not in repr(client.get(f"/en/search/suggest/?q={MARKER[:5]}").json()["results"])
    # Staff see nothing either: withdrawn consent is nobody's to override.
    staff_reader = reader_client("staff")
    assert not shows_marker(staff_reader, "/en/experts/")
    assert 'data-result-type="expert"' not in staff_reader.get(f"/en/search/?q={MARKER}").content.decode()


def test_the_sitemap_lists_public_profiles_only(marked):
    public, restricted = marked(Visibility.PUBLIC), marked(Visibility.MEMBERS)
    sitemap = Client().get("/sitemap.xml").content.decode()
    assert f"/en/experts/{public.translation_key}/" in sitemap
    assert f"/ar/experts/{public.translation_key}/" in sitemap
    assert f"/experts/{restricted.translation_key}/" not in sitemap
    assert f"/en/centres/{public.centre.translation_key}/" in sitemap


def test_the_feeds_never_name_a_restricted_expert(marked):
    marked(Visibility.STAFF)
    client = Client()
    for url in ("/en/feeds/practices/", "/en/feeds/news/", "/ar/feeds/practices/"):
        response = client.get(url)
        assert response.status_code == 200 and MARKER not in response.content.decode(), url


def test_recording_consent_in_the_admin_keeps_the_date_notice_and_recorder(admin_client, admin_user, marked):
    expert = marked(Visibility.HIDDEN)
    url = f"/admin/snippets/handbook/expert/edit/{expert.pk}/"
    form = admin_client.get(url)
    assert form.status_code == 200
    data = {
        "name": MARKER,
        "name_latin": MARKER,
        "role": "Mediator",
        "organisation": "",
        "country": str(expert.country_id),
        "languages": "ti en",
        "bio": "",
        "email": "",
        "account": "",
        "consent_visibility": "members",
        "consent_notice_version": "2026-12",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = ConsentRecord.objects.get(expert_key=expert.translation_key)
    assert (record.visibility, record.notice_version, record.recorded_by) == ("members", "2026-12", admin_user)
    assert record.recorded_at is not None
    expert.refresh_from_db()
    assert expert.visibility == Visibility.MEMBERS
    # Saving again without a new decision records nothing; the history is append-only.
    admin_client.post(url, data)
    assert ConsentRecord.objects.filter(expert_key=expert.translation_key).count() == 1
    with pytest.raises(ValueError, match="append-only"):
        record.save()
    with pytest.raises(ValueError, match="append-only"):
        record.delete()


def test_an_unknown_language_code_is_a_form_error(admin_client, marked):
    expert = marked(Visibility.PUBLIC)
    url = f"/admin/snippets/handbook/expert/edit/{expert.pk}/"
    response = admin_client.post(
        url, {"name": MARKER, "languages": "en zz", "consent_visibility": "public", "consent_notice_version": "x"}
    )
    assert response.status_code == 200
    assert "Unknown language codes: zz" in response.content.decode()


@pytest.mark.parametrize("language", ["en", "ar", "fr", "es", "ru", "zh-hans"])
def test_the_directories_answer_in_every_language_with_the_practice_listings_filters(marked, language):
    expert = marked(Visibility.PUBLIC)
    # A filter offers only values some row carries: the expert and their centre get a pillar and a theme.
    terms = Term.objects.filter(
        locale__language_code="en", vocabulary__in=["pillar", "theme"], code__in=["I", "education"]
    )
    for row in (expert, expert.centre):
        row.pillars.add(*terms.filter(vocabulary="pillar"))
        row.themes.add(*terms.filter(vocabulary="theme"))
    client = Client()
    experts = client.get(f"/{language}/experts/")
    centres = client.get(f"/{language}/centres/")
    assert experts.status_code == centres.status_code == 200
    for response in (experts, centres):
        body = response.content.decode()
        for param in ("region", "country", "pillar", "theme"):
            assert f'name="{param}"' in body
    assert 'name="language"' in experts.content.decode()
    assert f'lang="{language}"' in experts.content.decode()


def test_the_filters_narrow_the_directories(marked):
    expert = marked(Visibility.PUBLIC)
    pillar = Term.objects.get(vocabulary="pillar", code="II", locale__language_code="en")
    expert.pillars.add(pillar)
    expert.centre.pillars.add(pillar)
    ExpertFactory(name="Another expert", languages="fr")
    client = Client()
    for query, found in [
        ("country=KE", True),
        ("country=SN", False),
        ("region=africa", True),
        ("region=middle-east", False),
        ("pillar=II", True),
        ("pillar=I", False),
        ("language=ti", True),
        ("language=fr", False),
        ("language=ti&country=KE&pillar=II", True),
    ]:
        assert shows_marker(client, f"/en/experts/?{query}") is found, query
    assert "Nyeri Institute" in client.get("/en/centres/?pillar=II&country=KE").content.decode()
    assert "Nyeri Institute" not in client.get("/en/centres/?pillar=I").content.decode()
    unknown = client.get("/en/experts/?country=XX&language=<b>").content.decode()
    assert "have been ignored" in unknown and MARKER in unknown


def test_a_translator_translates_the_profile_but_cannot_record_consent(client, marked):
    expert = marked(Visibility.MEMBERS)
    arabic = expert.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.save()
    client.force_login(get_user_model().objects.get(username="translator"))
    response = client.post(
        f"/admin/snippets/handbook/expert/edit/{arabic.pk}/",
        {
            "name": MARKER,
            "role": "وسيط",
            "country": str(expert.country_id),
            "languages": "ti en",
            "consent_visibility": "public",
            "consent_notice_version": "2026-12",
        },
    )
    assert response.status_code == 302
    arabic.refresh_from_db()
    # Saved as a draft for moderation: readers keep the published profile until a moderator approves.
    assert arabic.latest_revision.as_object().role == "وسيط"
    assert arabic.role == "Mediator"
    assert arabic.visibility == Visibility.MEMBERS
    assert not ConsentRecord.objects.filter(expert_key=expert.translation_key).exists()


def test_the_pdf_of_a_practice_forgets_an_expert_at_once_when_consent_is_withdrawn(
    client, django_capture_on_commit_callbacks
):
    """The PDF edition (books/) is a file: the edition naming the expert is withdrawn inside the consent change
    and rendered again without the name ("A focal point in Kenya")."""
    expert = ExpertFactory(name=MARKER, country=Country.objects.get(code="KE"), visibility=Visibility.PUBLIC)
    page = CaseStudyPageFactory(
        parent=CaseStudyIndexPage.objects.get(locale__language_code="en"),
        title="Lakeside elders' council",
        slug="lakeside-elders",
        implementing_country=Country.objects.get(code="KE"),
    )
    page.experts = [expert]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    url = page.get_url().rstrip("/") + ".pdf"
    before = PdfEdition.objects.get(page=page)
    assert MARKER in pdf_text(before.file.path)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            expert.withdraw_consent(recorded_by=None)
            assert client.get(url).status_code == 404  # withdrawn before the transaction even commits
        after = PdfEdition.objects.get(page=page)
        text = pdf_text(after.file.path)
        assert MARKER not in text and "A focal point in Kenya" in text
        assert not default_storage.exists(before.file.name)
        assert after.fingerprint != before.fingerprint  # a cache holding the old file cannot revalidate it
    finally:
        for edition in PdfEdition.objects.all():
            edition.file.delete(save=False)


@pytest.mark.parametrize("visibility", [Visibility.MEMBERS, Visibility.STAFF, Visibility.PUBLIC])
def test_did_you_mean_offers_an_experts_name_only_when_the_profile_is_public(marked, visibility):
    marked(visibility)
    body = Client().get("/en/search/", {"q": MARKER[:-1] + "x"}).content.decode()
    assert (MARKER in body) is (visibility == Visibility.PUBLIC)  # the same misspelling finds a public name


def test_did_you_mean_never_offers_the_words_of_a_restricted_page(practice):
    practice.title = "Zephyrantine circles"
    practice.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=practice, restriction_type=PageViewRestriction.PASSWORD, password="unused-password-1"
    )
    assert "Zephyrantine" not in Client().get("/en/search/", {"q": "Zephyrantina"}).content.decode()
    restriction.delete()
    assert "Zephyrantine" in Client().get("/en/search/", {"q": "Zephyrantina"}).content.decode()
