"""Taxonomy terms, experts and centres have drafts and go through moderation like pages: a translator's or an
editor's change reaches readers only when a moderator approves it, and no draft appears in any public output."""

import re

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from wagtail.models import Locale, TaskState, WorkflowState
from wagtail_localize.models import StringSegment, Translation

from handbook.factories import CentreFactory, ExpertFactory, TermFactory
from handbook.models import CaseStudyPage, Country, Term
from handbook.models.people import Visibility

pytestmark = pytest.mark.django_db

PUBLISHED_ARABIC = "الظروف المؤدية إلى انتشار الإرهاب"  # the sample site's Arabic name of pillar I
SUBMITTED_ARABIC = "الظروف المفضية إلى انتشار الإرهاب"
MARKER = "Velmorandine"  # in no other row, page or catalogue


def public(path):
    response = Client().get(path)
    assert response.status_code in (200, 404), path
    return response.content.decode()


def put_string(client, translation, path, text):
    segment = StringSegment.objects.get(source=translation.source, context__path=path)
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    response = client.put(url, encode_multipart(BOUNDARY, {"value": text}), content_type=MULTIPART_CONTENT)
    assert response.status_code in (200, 201)  # a new or a changed translation of the string


def test_a_translated_term_reaches_readers_only_once_a_moderator_approves(client, users):
    english = Term.objects.get(locale__language_code="en", vocabulary="pillar", code="I")
    arabic = english.get_translation(Locale.objects.get(language_code="ar"))
    translation = Translation.objects.get(source__object_id=english.translation_key, target_locale=arabic.locale)
    submit = reverse("translations_submit_snippet_for_moderation", args=["handbook", "term", arabic.pk])

    client.force_login(users["translator"])
    editor = client.get(reverse("wagtailsnippets_handbook_term:edit", args=[arabic.pk]))
    assert editor.status_code == 200
    assert submit in editor.content.decode()  # the editor's main action sends the translation into moderation
    put_string(client, translation, "name", SUBMITTED_ARABIC)
    assert client.post(submit, {"action": "submit"}).status_code == 302

    state = WorkflowState.objects.get(object_id=str(arabic.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.content_object == arabic
    # The submit page names what is translated and counts words, as the status dashboard does.
    again = client.get(submit).content.decode()
    assert "Type: Taxonomy term" in again
    assert "This taxonomy term is already in moderation." in again
    assert re.search(r"Words translated: <bdi>\d+</bdi> of <bdi>\d+</bdi>\.", again)
    assert "page" not in again[again.index("<h2>") : again.index("</form>")]
    # Waiting for moderation: readers still read the published Arabic name, never the submitted one.
    form = public("/ar/exchange/")
    assert PUBLISHED_ARABIC in form
    assert SUBMITTED_ARABIC not in form
    # A translator cannot publish it themselves, from the translation editor either.
    refused = client.post(reverse("wagtailsnippets_handbook_term:edit", args=[arabic.pk]), {"action": "publish"})
    assert refused.status_code in (302, 403)
    assert SUBMITTED_ARABIC not in public("/ar/exchange/")

    client.force_login(users["moderator"])
    task_state = TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_IN_PROGRESS)
    approve = reverse("wagtailsnippets_handbook_term:workflow_action", args=[arabic.pk, "approve", task_state.pk])
    assert client.post(approve, {"comment": ""}).status_code in (200, 302)
    form = public("/ar/exchange/")
    assert SUBMITTED_ARABIC in form
    assert PUBLISHED_ARABIC not in form


def test_a_term_change_saved_as_draft_waits_for_publication(client, users):
    term = Term.objects.get(locale__language_code="en", vocabulary="pillar", code="II")
    data = {"vocabulary": "pillar", "code": "II", "name": f"{term.name} ({MARKER})", "description": "", "sort_order": 1}
    # Terms are the moderators' to change (editors have no "change" on them); saving keeps a draft, not a live row.
    client.force_login(users["moderator"])
    response = client.post(reverse("wagtailsnippets_handbook_term:edit", args=[term.pk]), data)
    assert response.status_code == 302
    term.refresh_from_db()
    assert MARKER not in term.name and term.has_unpublished_changes
    assert MARKER in term.latest_revision.as_object().name
    assert MARKER not in public("/en/exchange/")


def test_a_draft_expert_centre_or_term_is_in_no_public_output():
    practice = CaseStudyPage.objects.live().get(locale__language_code="en", slug="prison-mentoring")
    kenya = Country.objects.get(code="KE")
    expert = ExpertFactory(name=MARKER, role="Mediator", country=kenya, visibility=Visibility.PUBLIC, live=False)
    centre = CentreFactory(name=f"{MARKER} Centre", country=kenya, live=False)
    centre.experts.add(expert)
    term = TermFactory(vocabulary="pillar", code="V", name=f"{MARKER} pillar", live=False)
    practice.experts.add(expert)
    practice.centres.add(centre)
    practice.pillars.add(term)
    practice.save_revision().publish()

    for path in [
        "/en/experts/",
        f"/en/experts/{expert.translation_key}/",
        "/en/centres/",
        f"/en/centres/{centre.translation_key}/",
        practice.url,
        "/en/exchange/",
        "/en/practices/",
        "/en/data/practices.csv",
    ]:
        assert MARKER not in public(path), path
    assert "Kenya" in public(practice.url)  # "a focal point in Kenya": the practice still says it has one

    expert.save_revision().publish()
    assert MARKER in public("/en/experts/")
    assert MARKER in public(practice.url)


def test_publishing_an_earlier_revision_never_brings_back_withdrawn_consent(users):
    expert = ExpertFactory(name=MARKER, country=Country.objects.get(code="KE"), visibility=Visibility.PUBLIC)
    revision = expert.save_revision()  # its content holds "public"
    revision.publish()
    assert MARKER in public("/en/experts/")
    expert.withdraw_consent(users["admin"])
    revision.publish()  # what "revert" or a late approval of that revision does
    expert.refresh_from_db()
    assert expert.visibility == Visibility.HIDDEN
    assert MARKER not in public("/en/experts/")
