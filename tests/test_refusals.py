"""Every action a user is shown works, over the admin's own HTTP views: what a role cannot complete is not offered,
and a refusal that remains is a page of the admin saying why, in the user's admin language (status 403).

Users are built here from the groups (the roles of tests/test_roles.py); pages from the factories."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, PageLogEntry, TaskState, WorkflowState
from wagtail.users.models import UserProfile
from wagtail_localize.models import TranslationSource

from accounts.roles import EDITORS, MODERATORS, REVIEWERS, TRANSLATORS, language_group_name
from handbook.factories import CaseStudyPageFactory, ChapterPageFactory, TermFactory
from handbook.models import CaseStudyIndexPage, Country, HandbookPage

from .admin_forms import edit_form_data

pytestmark = pytest.mark.django_db

CHECKLIST = {"legal_basis": "on", "do_no_harm": "on", "data_protection": "on", "gender": "on"}
PERMISSION_ERROR = "Sorry, you do not have permission"


def member_of(username, *groups, language="en"):
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org", password="x")
    user.groups.set(Group.objects.filter(name__in=groups))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def translator(language="en"):
    return member_of("arabic-translator", TRANSLATORS, language_group_name("ar"), language=language)


def locale(code):
    return Locale.objects.get(language_code=code)


def english_case_study(**kwargs):
    listing = CaseStudyIndexPage.objects.get(locale__language_code="en")
    page = CaseStudyPageFactory(parent=listing, implementing_country=Country.objects.order_by("code").first(), **kwargs)
    page.pillars.set([TermFactory(vocabulary="pillar")])
    page.save_revision().publish()
    return page


def english_chapter():
    page = ChapterPageFactory(parent=HandbookPage.objects.get(locale__language_code="en"))
    page.save_revision().publish()
    return page


def live_arabic_translation(page):
    arabic = page.copy_for_translation(locale("ar"))
    arabic.save_revision().publish()
    return arabic


def admin_refusal(response):
    """The admin's refusal page: status 403, the admin's chrome (its sidebar), and a reason."""
    body = response.content.decode()
    reason = re.search(r"<p data-refusal-reason>(.*?)</p>", body, re.S)
    assert response.status_code == 403, response.status_code
    assert 'id="wagtail-sidebar"' in body, body[:500]
    assert reason, body[:2000]
    return reason.group(1).strip()


def offered_locales(response):
    return set(re.findall(r'name="locales" value="(\d+)"', response.content.decode()))


# --- translators --------------------------------------------------------------------------------------------------
def test_translator_is_offered_only_their_languages(client):
    page = english_chapter()
    client.force_login(translator())
    response = client.get(reverse("wagtail_localize:submit_page_translation", args=[page.pk]))
    assert response.status_code == 200
    assert offered_locales(response) == {str(locale("ar").pk)}


def test_editor_is_still_offered_every_language(client):
    page = english_chapter()
    client.force_login(member_of("an-editor", EDITORS))
    response = client.get(reverse("wagtail_localize:submit_page_translation", args=[page.pk]))
    assert offered_locales(response) == {
        str(pk) for pk in Locale.objects.exclude(language_code="en").values_list("pk", flat=True)
    }


@pytest.mark.parametrize("language", ["en", "ar"])
def test_translator_refused_another_language_reads_why_in_the_admin(client, language):
    page = english_chapter()
    client.force_login(translator(language))
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    reason = admin_refusal(client.post(url, {"locales": [locale("fr").pk]}))
    with translation.override(language):
        expected = translation.gettext(
            "You translate into %(languages)s. Content in %(language)s can be read but not changed with your account."
        ) % {"languages": "العربية", "language": "Français"}
    assert reason == expected
    if language == "ar":
        assert reason.startswith("لغات الترجمة المسندة إليك")  # the Arabic sentence, not the English one
    assert not page.get_translations().filter(locale__language_code="fr").exists()


def test_translator_is_not_offered_edit_on_the_english_page_and_reads_why(client):
    page = english_chapter()
    client.force_login(member_of("an-editor", EDITORS))
    client.post(reverse("wagtail_localize:submit_page_translation", args=[page.pk]), {"locales": [locale("ar").pk]})
    arabic = page.get_translation(locale("ar"))
    client.force_login(translator())
    english_edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    arabic_edit = reverse("wagtailadmin_pages:edit", args=[arabic.pk])

    english_listing = client.get(reverse("wagtailadmin_explore", args=[page.get_parent().pk])).content.decode()
    assert english_edit not in english_listing
    arabic_listing = client.get(reverse("wagtailadmin_explore", args=[arabic.get_parent().pk])).content.decode()
    assert arabic_edit in arabic_listing  # their own language still offers it

    reason = admin_refusal(client.get(english_edit))
    assert "العربية" in reason and "English" in reason


def test_translator_sync_form_does_not_offer_publish_immediately(client, admin_client):
    page = english_chapter()
    admin_client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]), {"locales": [locale("ar").pk]}
    )
    url = reverse("wagtail_localize:update_translations", args=[TranslationSource.objects.get_for_instance(page).pk])
    checkbox = 'type="checkbox" name="publish_translations"'
    assert checkbox in admin_client.get(url).content.decode()  # offered to whoever may publish every language
    client.force_login(translator())
    form = client.get(url)
    assert form.status_code == 200
    assert checkbox not in form.content.decode()
    # Syncing still works for them, and a forged "publish" is refused with a reason.
    assert client.post(url, {}).status_code == 302
    assert "moderation" in admin_refusal(client.post(url, {"publish_translations": "on"}))
    assert not page.get_translation(locale("ar")).live


# --- reviewers ----------------------------------------------------------------------------------------------------
def in_review(page, editor):
    page.title = f"{page.title}, revised"
    page.save_revision(user=editor)
    return page.get_workflow().start(page, editor)


def task_url(page, state, action):
    task_state = TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_IN_PROGRESS)
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))


def messages_of(response):
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


@pytest.mark.usefixtures("template_contexts")  # reads response.context
@pytest.mark.parametrize(
    "action, data", [("approve", CHECKLIST), ("reject", {"comment": "Blur the participant's face."})]
)
def test_reviewer_decision_lands_on_the_dashboard_without_a_permission_error(client, action, data):
    editor = member_of("an-editor", EDITORS)
    page = english_case_study()
    state = in_review(page, editor)
    client.force_login(member_of("a-reviewer", REVIEWERS))
    response = client.post(task_url(page, state, action), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert response.status_code == 200
    assert "error" not in [level for level, _text in messages_of(response)]
    assert PERMISSION_ERROR not in response.content.decode()


@pytest.mark.usefixtures("template_contexts")  # reads response.context
def test_reviewer_decision_from_the_editor_lands_on_the_dashboard(client):
    editor = member_of("an-editor", EDITORS)
    page = english_case_study()
    in_review(page, editor)
    reviewer = member_of("a-reviewer", REVIEWERS)
    client.force_login(reviewer)
    data = edit_form_data(
        page.get_latest_revision_as_object(),
        reviewer,
        **{
            "action-workflow-action": "true",
            "workflow-action-name": "reject",
            "workflow-action-extra-data": json.dumps({"comment": "Remove the names."}),
        },
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert [level for level, _text in messages_of(response)] == ["success"]  # and no "Sorry, you do not have …"
    assert PERMISSION_ERROR not in response.content.decode()
    assert WorkflowState.objects.get(pk=page.current_workflow_state.pk).status == WorkflowState.STATUS_NEEDS_CHANGES


def test_reviewer_compares_versions_while_the_page_awaits_their_review(client):
    editor = member_of("an-editor", EDITORS)
    page = english_case_study()
    reviewer = member_of("a-reviewer", REVIEWERS)
    client.force_login(reviewer)
    compare = reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, "live", "latest"))
    assert "waiting for your review" in admin_refusal(client.get(compare))  # not in review: refused, with why

    state = in_review(page, editor)
    response = client.get(compare)
    assert response.status_code == 200
    assert page.title in response.content.decode()  # the new title: the change the re-review is about

    client.post(task_url(page, state, "reject"), {"comment": "Needs a source."})
    admin_refusal(client.get(compare))  # its review is over: no longer theirs to look at


# --- unpublish ----------------------------------------------------------------------------------------------------
@pytest.mark.usefixtures("template_contexts")  # reads response.context
def test_unpublish_lists_the_live_translations_and_takes_them_down_too(client):
    page = english_chapter()
    arabic = live_arabic_translation(page)
    moderator = member_of("a-moderator", MODERATORS)
    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
    confirmation = client.get(url).content.decode()
    assert "This page is also live in العربية." in confirmation
    assert 'name="unpublish_translations" value="on" checked' in confirmation
    assert "Also unpublish the translations: العربية" in confirmation

    response = client.post(url, {"unpublish_translations": "on"}, follow=True)
    page.refresh_from_db()
    arabic.refresh_from_db()
    assert not page.live and not arabic.live
    assert any("العربية" in text for level, text in messages_of(response) if level == "success")
    assert PageLogEntry.objects.filter(page=arabic, action="wagtail.unpublish", user=moderator).exists()


def test_unpublish_without_the_box_keeps_the_translations_live(client):
    page = english_chapter()
    arabic = live_arabic_translation(page)
    client.force_login(member_of("a-moderator", MODERATORS))
    client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]), {})
    page.refresh_from_db()
    arabic.refresh_from_db()
    assert not page.live and arabic.live


@pytest.mark.parametrize("language", ["en", "ar"])
def test_translator_refused_a_page_in_another_language_gets_a_way_back(client, language):
    page = english_chapter()
    client.force_login(translator(language))
    listing = "http://testserver" + reverse("wagtailadmin_explore", args=[page.get_parent().pk])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]), headers={"referer": listing})
    reason = admin_refusal(response)
    assert "العربية" in reason and "English" in reason
    body = response.content.decode()
    back = re.search(r'<a class="button" href="([^"]+)" data-refusal-back>\s*(.*?)\s*</a>', body, re.S)
    assert back.group(1) == listing  # back to where they came from
    with translation.override(language):
        assert back.group(2) == translation.gettext("Back to the previous page")
    assert reverse("wagtailadmin_home") in body  # and the dashboard, with their work in their languages
    # A referer from elsewhere is not offered as the way back.
    response = client.get(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), headers={"referer": "https://elsewhere.example/admin/"}
    )
    assert "data-refusal-back" not in response.content.decode()
