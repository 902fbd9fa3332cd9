"""Exchange requests: the public form in English and Arabic, bad input, bots and rate limit, privacy of the
requester's contact details, brokering in the admin by role (states, history, e-mails), the dashboard panel, and
the case study draft made from a completed exchange."""

import datetime
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext
from wagtail.models import Locale, WorkflowState

from accounts.factories import UserFactory
from accounts.roles import EDITORS, PROGRAMME_STAFF
from core.paths import API_PATH, OPEN_DATA_PATH
from exchange.factories import ExchangeRequestFactory
from exchange.forms import issue_token
from exchange.models import ExchangeRequest, State
from handbook.models import CaseStudyIndexPage, CaseStudyPage, Expert, Term
from handbook.models.review import SAFEGUARDS
from news.models import NewsIndexPage
from tests.conftest import VerifiedClient  # the suite's client, whose sessions passed two-factor

from .admin_forms import edit_form_data

pytestmark = pytest.mark.django_db

User = get_user_model()
MARKER_NAME = "Zephyrine Quillbottom"  # unique words: found anywhere public, they would be a leak
MARKER_EMAIL = "quillbottom.private@example.org"
MARKER_PHONE = "+254 711 987 654"
MARKER_INSTITUTION = "Ministry of Quillbottom Affairs"


def form_data(**overrides):
    data = {
        "kind": "peer-exchange",
        "title": "Reintegration of returnees",
        "need": "We are setting up a reintegration programme and want to learn from others.",
        "pillar": "II",
        "themes": ["rehabilitation"],
        "country": "KE",
        "requester_name": MARKER_NAME,
        "institution": MARKER_INSTITUTION,
        "email": MARKER_EMAIL,
        "phone": MARKER_PHONE,
        "website": "",
        "token": issue_token(time.time() - 60),  # shown a minute ago, as a person would fill it
    }
    data.update(overrides)
    return data


def in_language(language, text):
    with translation.override(language):
        return gettext(text) if isinstance(text, str) else str(text)


def refused(response):
    """The admin refuses with 403, or with Wagtail's redirect to the dashboard and its "permission denied"."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def checked(name, value, html):
    return re.search(rf'<input type="(radio|checkbox)" name="{name}" value="{value}"[^>]* checked', html) is not None


def staff(*extra_groups):
    return UserFactory(groups=[PROGRAMME_STAFF, *extra_groups])


def admin_client_for(user):
    client = VerifiedClient()
    client.force_login(user)
    return client


# --- The public form -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_request_is_sent_in_the_readers_language_and_acknowledged(client, language):
    page = client.get(f"/{language}/exchange/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}"' in html
    # The taxonomy's choices are labelled in the reader's language.
    pillar = "منع الإرهاب ومكافحته" if language == "ar" else "Preventing and combating terrorism"
    assert pillar in html
    assert in_language(language, "Only programme staff see your contact details: they are never published.") in html

    response = client.post(f"/{language}/exchange/", form_data())
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/exchange/thanks/"
    assert client.get(response["Location"]).status_code == 200

    request = ExchangeRequest.objects.get(email=MARKER_EMAIL)
    assert (request.language, request.state, request.pillar.code, request.country.code) == (
        language,
        State.SUBMITTED,
        "II",
        "KE",
    )
    assert [theme.code for theme in request.themes.all()] == ["rehabilitation"]
    assert [(event.to_state, event.by) for event in request.events.all()] == [(State.SUBMITTED, None)]
    [message] = mail.outbox
    assert message.to == [MARKER_EMAIL]
    assert in_language(language, State.SUBMITTED.label) in message.subject
    received = in_language(
        language, "We have received your request for an exchange. Programme staff will study it and write to you."
    )
    assert received in message.body
    if language == "ar":
        assert "Submitted" not in message.subject and "We have received" not in message.body


INVALID = [
    # (what is wrong, the field's bad value, the message the reader gets in English)
    ("need", "x" * 3001, None),  # Django's count message, below
    ("title", "", "This field is required."),
    ("email", "not-an-address", "Enter a valid email address."),
    ("pillar", "IX", "Select a valid choice. That choice is not one of the available choices."),
    ("country", "XX", "Select a valid choice. That choice is not one of the available choices."),
    (
        "themes",
        ["no-such-theme"],
        ("Select a valid choice. %(value)s is not one of the available choices.", "no-such-theme"),
    ),
    ("phone", "call me maybe", "Enter a telephone number with digits, spaces, and + ( ) - only."),
    ("institution", "Ministry\x00", "Null characters are not allowed."),
]


@pytest.mark.parametrize("field, value, message", INVALID, ids=[case[0] for case in INVALID])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_each_invalid_field_is_explained_and_what_was_valid_is_kept(client, language, field, value, message):
    response = client.post(f"/{language}/exchange/", form_data(**{field: value}))
    assert response.status_code == 400
    html = response.content.decode()
    if message is None:
        with translation.override(language):
            message = ngettext(
                "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
                3000,
            ) % {"limit_value": 3000, "show_value": 3001}
    if isinstance(message, tuple):
        message = in_language(language, message[0]) % {"value": message[1]}
    assert escape(in_language(language, message)) in html
    assert 'class="form-field__error"' in html
    # Whatever else the reader typed is still there.
    for kept_field, kept in [("title", "Reintegration of returnees"), ("email", MARKER_EMAIL), ("phone", MARKER_PHONE)]:
        if kept_field != field:
            assert f'value="{kept}"' in html
    if field != "institution":
        assert f'value="{MARKER_INSTITUTION}"' in html
    assert "We are setting up a reintegration programme" in html or field == "need"
    assert checked("pillar", "II", html) or field == "pillar"
    assert checked("kind", "peer-exchange", html)
    assert not ExchangeRequest.objects.exists()
    assert not mail.outbox


def test_the_honeypot_keeps_bots_out_and_a_person_can_send_again(client):
    response = client.post("/en/exchange/", form_data(website="http://spam.example"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your request looks automated and was not sent." in html
    assert f'value="{MARKER_INSTITUTION}"' in html and 'value="Reintegration of returnees"' in html
    assert not ExchangeRequest.objects.exists() and not mail.outbox
    # The honeypot is not offered to people: hidden from sight, from the tab order and from assistive technology.
    assert '<div class="visually-hidden" aria-hidden="true">' in html and 'tabindex="-1"' in html


def test_a_form_sent_back_too_fast_or_with_a_forged_token_is_refused_with_a_message(client):
    # Shown "just now": a minimum fill time longer than any request takes keeps this true on a slow machine.
    with override_settings(EXCHANGE_MIN_FILL_SECONDS=600):
        too_fast = client.post("/en/exchange/", form_data(token=issue_token()))
    assert too_fast.status_code == 400
    assert "Your request looks automated and was not sent." in too_fast.content.decode()
    forged = client.post("/en/exchange/", form_data(token="1700000000:forged"))
    assert forged.status_code == 400
    assert "This form has expired. Please check it and send it again." in forged.content.decode()
    expired = client.post("/ar/exchange/", form_data(token=issue_token(time.time() - 3 * 24 * 3600)))
    assert in_language("ar", "This form has expired. Please check it and send it again.") in expired.content.decode()
    assert not ExchangeRequest.objects.exists()


@override_settings(EXCHANGE_RATE_LIMIT=2)
def test_submissions_are_rate_limited_per_client_address(client):
    for n in range(2):
        assert client.post("/en/exchange/", form_data(title=f"Need {n}")).status_code == 302
    limited = client.post("/en/exchange/", form_data(title="Need 3"))
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    html = limited.content.decode()
    assert "Too many requests from your address." in html and 'value="Need 3"' in html
    assert ExchangeRequest.objects.count() == 2
    # Another address is counted on its own.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post("/en/exchange/", form_data(title="Need 4")).status_code == 302


def test_the_form_needs_its_csrf_token():
    response = Client(enforce_csrf_checks=True).post("/en/exchange/", form_data())
    assert response.status_code == 403
    assert not ExchangeRequest.objects.exists()


def test_the_form_is_in_the_menu_and_each_practice_pre_fills_it(client):
    practice = CaseStudyPage.objects.live().get(slug="prison-mentoring", locale__language_code="ar")
    assert 'href="/en/exchange/"' in client.get("/en/").content.decode()
    link = f'href="/ar/exchange/?practice={practice.pk}"'
    practice_page = client.get(practice.url).content.decode()
    assert link in practice_page
    assert in_language("ar", "Ask for an exchange on this practice") in practice_page

    html = client.get(f"/ar/exchange/?practice={practice.pk}").content.decode()
    assert practice.title in html
    assert f'name="practice" value="{practice.pk}"' in html
    assert checked("pillar", "IV", html)  # the practice's pillar
    assert client.get("/en/exchange/?practice=not-a-number").status_code == 200

    client.post(f"/ar/exchange/?practice={practice.pk}", form_data(practice=practice.pk))
    assert ExchangeRequest.objects.get().practice == practice


def test_the_requesters_contact_details_appear_in_no_public_output(client):
    client.post("/en/exchange/", form_data())
    client.post("/ar/exchange/", form_data(title="Second need"))
    assert ExchangeRequest.objects.count() == 2
    practice = CaseStudyPage.objects.live().filter(locale__language_code="en").first()
    public = [
        "/en/",
        "/ar/",
        "/en/practices/",
        practice.url,
        "/en/exchange/",
        "/ar/exchange/",
        "/en/exchange/thanks/",
        f"/en/search/?q={MARKER_NAME.split()[1]}",
        f"/ar/search/?q={MARKER_NAME.split()[1]}",
        f"/en/search/suggest/?q={MARKER_NAME.split()[1][:5]}",
        "/sitemap.xml",
        "/en/feeds/news/",
        "/en/feeds/practices/",
        f"/{API_PATH}practices/",
        f"/{API_PATH}openapi.json",
        f"/en/{OPEN_DATA_PATH}practices.csv",
        f"/ar/{OPEN_DATA_PATH}practices.json",
    ]
    for url in public:
        body = client.get(url).content.decode()
        if "/search/" in url:  # the search page repeats the query: what matters is that nothing is found
            assert "data-page-id" not in body
            body = body.replace(url.split("q=")[1], "")
        for marker in [MARKER_NAME, "Quillbottom", MARKER_EMAIL, MARKER_PHONE, MARKER_INSTITUTION]:
            assert marker not in body, f"{marker} leaks in {url}"
    # The search index knows nothing of requests (they are not indexed models).
    assert not hasattr(ExchangeRequest, "search_fields")


# --- Brokering in the admin ------------------------------------------------------------------------------------


def edit_url(request):
    return f"/admin/exchange-requests/edit/{request.pk}/"


def transition(client, request, name, note=""):
    return client.post(f"/admin/exchange-requests/transition/{request.pk}/", {"transition": name, "note": note})


def test_programme_staff_broker_a_request_through_every_state_and_the_requester_is_told_each_time():
    request = ExchangeRequestFactory(language="fr")
    broker = staff()
    client = admin_client_for(broker)
    index = client.get("/admin/exchange-requests/")
    assert index.status_code == 200 and request.title in index.content.decode()
    edit = client.get(edit_url(request)).content.decode()
    assert request.email in edit  # staff see the contact details
    assert 'data-transition="triage"' in edit and 'data-transition="decline"' in edit
    assert 'data-transition="complete"' not in edit  # only what is allowed now is offered

    expert = Expert.objects.filter(locale__language_code="en").first()
    for name, state in [("triage", State.TRIAGED), ("match", State.MATCHED)]:
        if name == "match":
            # Matching needs a match: refused until one is saved.
            refused = transition(client, request, "match")
            assert refused.status_code == 302
            request.refresh_from_db()
            assert request.state == State.TRIAGED
            request.matched_experts.add(expert)
        response = transition(client, request, name)
        assert response.status_code == 302 and response["Location"] == edit_url(request)
        request.refresh_from_db()
        assert request.state == state
    for name, state in [("agree", State.AGREED), ("complete", State.COMPLETED)]:
        transition(client, request, name)
        request.refresh_from_db()
        assert request.state == state

    events = list(request.events.all())
    assert [event.to_state for event in events] == ["triaged", "matched", "agreed", "completed"]
    assert all(event.by == broker and event.at <= timezone.now() for event in events)
    assert [message.to for message in mail.outbox] == [[request.email]] * 4
    for message, state in zip(mail.outbox, [State.TRIAGED, State.MATCHED, State.AGREED, State.COMPLETED], strict=True):
        assert in_language("fr", state.label) in message.subject
        assert in_language("fr", "Your request") in message.body
    assert in_language("fr", "The exchange is complete. Thank you for taking part.") in mail.outbox[-1].body
    # Nothing more is offered once completed, and nothing more is accepted.
    edit = client.get(edit_url(request)).content.decode()
    assert "data-transition=" not in edit
    transition(client, request, "decline", "too late")
    request.refresh_from_db()
    assert request.state == State.COMPLETED and len(mail.outbox) == 4


def test_a_transition_not_allowed_from_the_current_state_is_refused_server_side():
    request = ExchangeRequestFactory()
    client = admin_client_for(staff())
    response = transition(client, request, "complete")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == State.SUBMITTED and not request.events.exists() and not mail.outbox
    message = client.get(edit_url(request)).content.decode()
    assert "cannot change that way" in message
    assert transition(client, request, "no-such-transition").status_code == 302
    assert client.get(f"/admin/exchange-requests/transition/{request.pk}/").status_code == 405


def test_declining_needs_a_reason_which_the_requester_receives_in_their_language():
    request = ExchangeRequestFactory(language="ar")
    client = admin_client_for(staff())
    transition(client, request, "decline", "   ")
    request.refresh_from_db()
    assert request.state == State.SUBMITTED
    transition(client, request, "decline", "لا يغطي البرنامج هذا الموضوع.")
    request.refresh_from_db()
    assert request.state == State.DECLINED and request.decline_reason == "لا يغطي البرنامج هذا الموضوع."
    [message] = mail.outbox
    assert "لا يغطي البرنامج هذا الموضوع." in message.body
    assert in_language("ar", State.DECLINED.label) in message.subject


@pytest.mark.parametrize("role", ["editor", "translator", "reviewer", "moderator"])
def test_other_roles_can_neither_see_nor_change_requests(role):
    request = ExchangeRequestFactory()
    client = admin_client_for(User.objects.get(username=role))
    assert refused(client.get("/admin/exchange-requests/"))
    assert refused(client.get(edit_url(request)))
    assert refused(transition(client, request, "triage"))
    assert refused(client.post(f"/admin/exchange-requests/convert/{request.pk}/"))
    request.refresh_from_db()
    assert request.state == State.SUBMITTED and not mail.outbox
    home = client.get("/admin/").content.decode()
    assert "exchange-open-requests" not in home and "/admin/exchange-requests/" not in home


def test_anonymous_visitors_are_sent_to_the_login():
    request = ExchangeRequestFactory()
    response = Client().post(f"/admin/exchange-requests/transition/{request.pk}/", {"transition": "triage"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Client().get(edit_url(request)).status_code == 302
    request.refresh_from_db()
    assert request.state == State.SUBMITTED


def test_nobody_adds_a_request_in_the_admin(admin_client):
    assert refused(admin_client.get("/admin/exchange-requests/new/"))


def test_the_dashboard_panel_counts_open_requests_by_state_and_age():
    now = timezone.now()
    for state, days in [("submitted", 1), ("submitted", 9), ("triaged", 3), ("agreed", 0), ("completed", 40)]:
        ExchangeRequestFactory(state=state, state_changed_at=now - datetime.timedelta(days=days, hours=1))
    html = admin_client_for(staff()).get("/admin/").content.decode()
    assert 'id="exchange-open-requests' in html or "exchange-open-requests" in html
    panel = html[html.index("exchange-open-requests") :]

    def row(state):
        start = panel.index(f'data-state="{state}"')
        return panel[start : panel.index("</tr>", start)]

    assert "<td data-count>2</td>" in row("submitted") and "9 days" in row("submitted")
    assert "<td data-count>1</td>" in row("triaged") and "3 days" in row("triaged")
    assert "<td data-count>0</td>" in row("matched")
    assert "<td data-count>1</td>" in row("agreed") and "0 days" in row("agreed")
    assert 'data-state="completed"' not in panel[: panel.index("</table>")]


# --- From a completed exchange to a case study draft -----------------------------------------------------------


def test_a_completed_exchange_becomes_a_case_study_draft_that_goes_through_the_review_workflow():
    expert = Expert.objects.filter(locale__language_code="en").first()
    request = ExchangeRequestFactory(
        state=State.COMPLETED, title="Peer exchange on prison mentoring", need="Line one.\n\nLine <two>."
    )
    request.themes.set(Term.objects.filter(vocabulary="theme", code="education", locale__language_code="en"))
    request.matched_experts.add(expert)
    broker = staff(EDITORS)  # making a case study needs the right to create practices
    client = admin_client_for(broker)
    assert "data-convert" in client.get(edit_url(request)).content.decode()

    response = client.post(f"/admin/exchange-requests/convert/{request.pk}/")
    request.refresh_from_db()
    page = request.case_study.specific
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert page.live is False and page.has_unpublished_changes
    assert page.get_parent().specific_class is CaseStudyIndexPage
    assert page.locale.language_code == "en"
    revision = page.latest_revision
    assert revision.user == broker
    draft = revision.as_object()
    assert draft.title == "Peer exchange on prison mentoring"
    assert draft.implementing_country == request.country
    assert [term.code for term in draft.pillars.all()] == [request.pillar.code]
    assert [term.code for term in draft.themes.all()] == ["education"]
    assert list(draft.experts.all()) == [expert]
    assert "Line &lt;two&gt;." in draft.context and draft.summary == "Line one. Line <two>."
    # Never published directly: it enters the case study review (safeguards, then moderators).
    assert page.get_workflow().name == "Case study review"
    assert not page.workflow_in_progress
    assert Client().get(f"/en/practices/{page.slug}/").status_code == 404
    # The editor opens it; the request now links to the draft and is not converted twice.
    assert client.get(response["Location"]).status_code == 200
    assert "data-convert" not in client.get(edit_url(request)).content.decode()
    assert refused(client.post(f"/admin/exchange-requests/convert/{request.pk}/"))


def test_only_a_completed_exchange_not_yet_converted_makes_a_draft():
    agreed = ExchangeRequestFactory(state=State.AGREED)
    client = admin_client_for(staff())
    assert "data-convert" not in client.get(edit_url(agreed)).content.decode()
    assert refused(client.post(f"/admin/exchange-requests/convert/{agreed.pk}/"))
    assert not CaseStudyPage.objects.filter(title__startswith="Sample need").exists()


def test_programme_staff_without_editors_rights_make_the_draft_and_submit_it_to_the_review_but_never_publish():
    """Programme staff hold "add" on the practice listings only: they make the draft, complete it and submit it to
    the case study review (safeguards first); publishing, other sections and other people's practices stay shut."""
    request = ExchangeRequestFactory(state=State.COMPLETED, title="Peer exchange on community policing")
    broker = staff()
    client = admin_client_for(broker)
    assert "data-convert" in client.get(edit_url(request)).content.decode()
    response = client.post(f"/admin/exchange-requests/convert/{request.pk}/")
    request.refresh_from_db()
    page = request.case_study.specific
    editor_url = f"/admin/pages/{page.pk}/edit/"
    assert response.status_code == 302 and response["Location"] == editor_url
    assert page.latest_revision.user == broker and not page.live
    assert client.get(editor_url).status_code == 200

    safeguards = {safeguard.field_name: f"<p>{safeguard.title}: written up.</p>" for safeguard in SAFEGUARDS}
    client.post(editor_url, edit_form_data(page, broker, **safeguards, **{"action-publish": "1"}))
    page.refresh_from_db()
    assert not page.live and not page.workflow_in_progress  # "publish" is not theirs: at most a draft is saved

    response = client.post(editor_url, edit_form_data(page, broker, **safeguards, **{"action-submit": "Submit"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.workflow.name == "Case study review"
    assert state.current_task_state.task.name == "Human-rights safeguards review"
    page.refresh_from_db()
    assert not page.live

    # Nothing else opened: no news item, no other person's practice.
    news = NewsIndexPage.objects.get(locale__language_code="en")
    assert refused(client.get(f"/admin/pages/add/news/newspage/{news.pk}/"))
    other = CaseStudyPage.objects.live().filter(locale__language_code="en").exclude(pk=page.pk).first()
    assert refused(client.get(f"/admin/pages/{other.pk}/edit/"))
    assert refused(client.post(f"/admin/pages/{other.pk}/unpublish/"))
    other.refresh_from_db()
    assert other.live


def test_a_new_practice_listing_gives_programme_staff_add_there_too():
    """A language's listing made after the migration (a new locale, the demo's) is open to them as well."""
    english = CaseStudyIndexPage.objects.get(locale__language_code="en")
    russian = english.copy_for_translation(Locale.objects.get(language_code="ru"), copy_parents=True)
    permissions = russian.permissions_for_user(staff())
    assert permissions.can_add_subpage() and not permissions.can_publish() and not permissions.can_edit()
