"""The editor's desk: the panels on the admin's home page, over HTTP as each role opens it. Each role sees the work
waiting for them — and only that — and every link a panel shows opens for that user."""

import copy
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Locale
from wagtail.users.models import UserProfile
from wagtail_localize.models import Translation, TranslationSource

from handbook.factories import CaseStudyPageFactory
from handbook.models import CaseStudyIndexPage, Country

from .test_translators import publish_english_news

pytestmark = pytest.mark.django_db

HOME = reverse("wagtailadmin_home")
REVIEWER_COMMENT = "The photo shows a participant's face: blur it before publication."
PANELS = {
    "drafts": "desk-my-drafts",
    "changes": "desk-changes-requested",
    "review": "desk-awaiting-my-review",
    "translate_ar": "desk-translator-work-ar",
}


@pytest.fixture
def users(users):
    return {**users, "reviewer": get_user_model().objects.get(username="reviewer")}


def case_study(title, *, live):
    parent = CaseStudyIndexPage.objects.get(locale__language_code="en")
    # The demo's countries already exist: take one rather than have the factory create its region again.
    return CaseStudyPageFactory(parent=parent, title=title, live=live, implementing_country=Country.objects.first())


def submit(page, user):
    """Start the page's workflow as ``user`` would with "Submit for moderation"."""
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


@pytest.fixture(scope="module")
def built_desk(module_transaction, django_db_blocker):
    """What waits on the desks, built once for the module: the tests only read it (``build_desk``)."""
    with django_db_blocker.unblock():
        names = ["editor", "reviewer", "translator"]
        return build_desk({name: get_user_model().objects.get(username=name) for name in names})


@pytest.fixture
def desk(built_desk, db):
    return copy.deepcopy(built_desk)


def build_desk(users):
    """A draft, a page sent back with a comment, a case study at the safeguards review, a news item at the
    moderators' approval, an untranslated English page and a translated page whose source changed since."""
    editor, reviewer = users["editor"], users["reviewer"]
    draft = case_study("Desk probe: a draft", live=False)
    draft.save_revision(user=editor)

    sent_back = case_study("Desk probe: sent back", live=False)
    state = submit(sent_back, editor)
    state.current_task_state.task.specific.on_action(
        state.current_task_state, reviewer, "reject", comment=REVIEWER_COMMENT
    )

    in_review = case_study("Desk probe: at the safeguards review", live=False)
    submit(in_review, editor)

    news = publish_english_news("Desk probe: news at approval", "A news item waiting for the moderators.", day=21)
    news.title = "Desk probe: news at approval, revised"
    submit(news, editor)

    untranslated = publish_english_news("Desk probe: untranslated", "Nobody has translated this yet.", day=22)

    changed = publish_english_news("Desk probe: source changed", "Translated, then changed.", day=23)
    source, _ = TranslationSource.get_or_create_from_instance(changed)
    translation = Translation.objects.create(source=source, target_locale=Locale.objects.get(language_code="ar"))
    translation.save_target(user=users["translator"])
    changed.get_translation(Locale.objects.get(language_code="ar")).get_latest_revision().publish()
    changed.summary = "Translated, then changed: a new sentence."
    changed.save_revision(user=editor).publish()

    return {
        "draft": draft,
        "sent_back": sent_back,
        "in_review": in_review,
        "news": news,
        "untranslated": untranslated,
        "changed": changed,
        "changed_ar": changed.get_translation(Locale.objects.get(language_code="ar")),
    }


def panel(body, key):
    """The HTML of one desk panel, or None when it is not on the page."""
    match = re.search(r'<section[^>]*id="' + PANELS[key] + r'-section".*?</section>', body, re.S)
    return match.group(0) if match else None


def dashboard(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def display_name(user):
    return user.get_full_name() or user.get_username()


def links(html):
    return set(re.findall(r'href="([^"#]+)"', html))


def assert_links_open(client, html):
    assert links(html)
    for url in links(html):
        response = client.get(url.replace("&amp;", "&"))
        assert response.status_code == 200, (url, response.status_code, response.get("Location"))
        assert "do not have permission" not in response.content.decode()


def test_editor_sees_drafts_and_changes_requested_with_the_comment(client, users, desk):
    body = dashboard(client, users["editor"])
    drafts = panel(body, "drafts")
    assert "Desk probe: a draft" in drafts
    assert "Desk probe: sent back" not in drafts  # it is in the next panel
    assert "Desk probe: at the safeguards review" not in drafts  # in moderation, not a draft
    changes = panel(body, "changes")
    assert "Desk probe: sent back" in changes
    assert REVIEWER_COMMENT.replace("'", "&#x27;") in changes
    assert f"{display_name(users['reviewer'])} asked for changes" in changes
    assert panel(body, "review") is None  # editors approve nothing
    assert panel(body, "translate_ar") is None
    assert_links_open(client, drafts + changes)


def test_reviewer_sees_the_case_study_waiting_for_the_safeguards_review(client, users, desk):
    body = dashboard(client, users["reviewer"])
    review = panel(body, "review")
    assert "Desk probe: at the safeguards review" in review
    assert "Desk probe: news at approval" not in review  # the moderators' step
    assert f"Submitted by {display_name(users['editor'])}" in review
    for key in ["drafts", "changes", "translate_ar"]:
        assert panel(body, key) is None or "Desk probe" not in panel(body, key)
    assert_links_open(client, review)


def test_moderator_sees_what_waits_for_approval_and_not_the_safeguards_step(client, users, desk):
    body = dashboard(client, users["moderator"])
    review = panel(body, "review")
    assert "Desk probe: news at approval, revised" in review
    assert "Desk probe: at the safeguards review" not in review  # reviewers' step: moderators cannot act on it
    assert "Desk probe: a draft" not in body  # someone else's draft
    assert_links_open(client, review)


def test_arabic_translator_sees_new_and_changed_work_with_direct_links(client, users, desk):
    body = dashboard(client, users["translator"])
    work = panel(body, "translate_ar")
    assert work is not None
    rows = {
        title: reason
        for reason, title in re.findall(
            r'<tr data-desk-reason="(\w+)">\s*<td class="title">\s*<a href="[^"]+">([^<]+)</a>', work
        )
    }
    assert rows.get("Desk probe: untranslated") == "new"
    assert rows.get("Desk probe: source changed") == "source_changed"
    assert reverse("wagtail_localize:submit_page_translation", args=[desk["untranslated"].pk]) in work
    assert reverse("wagtailadmin_pages:edit", args=[desk["changed_ar"].pk]) in work
    assert "desk-translator-work-fr" not in body  # only their languages
    for key in ["drafts", "changes", "review"]:
        assert panel(body, key) is None or "Desk probe" not in panel(body, key)
    assert_links_open(client, work)


def test_the_desk_speaks_the_admins_language(client, users, desk):
    editor = users["editor"]
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "ar"
    profile.save()
    body = dashboard(client, editor)
    assert 'dir="rtl"' in body
    assert "مسوداتي" in body
    assert "التغييرات المطلوبة مني" in body
    assert REVIEWER_COMMENT.replace("'", "&#x27;") in panel(body, "changes")
