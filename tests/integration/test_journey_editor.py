"""The editor's journey in a real browser (Debian's Chromium driven by Playwright), with the admin in English and
in Arabic (each user's preferred language): the editor signs in through the login form, uploads an image, creates
a practice case study with it, previews it in the side panel and in a new tab, and submits it for moderation; then
the moderator, signed in with two-factor authentication, approves it, schedules a go-live time and unpublishes it.
Only the editor walks the login form here; the others start signed in (``signed_in``: the two-factor journey walks
the moderator's form, password and code, in both languages).

Every step asserts the page the user lands on: a page of the admin in their language, not an error page, not a
bare 403, no refusal message; the preview shows the page. A failed step leaves a screenshot in tests/artifacts/.
The safeguards review between the two is the reviewer's own journey; here the reviewer's approval is recorded
through the workflow task itself. A second test has the reviewer comment on the safeguards with Wagtail's comments
and the editor find the comment.
"""

import contextlib
import datetime
import re
import uuid
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry, TaskState, WorkflowState
from wagtail.users.models import UserProfile

from demo.loader import DEMO_PASSWORD
from handbook.factories import CaseStudyPageFactory
from handbook.models import CaseStudyIndexPage, CaseStudyPage, Country
from handbook.models.review import SafeguardsReviewTask

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ar"]
TITLE = "Community radio against recruitment"
SUMMARY = "Local radio stations give young people a voice and counter recruitment narratives."
SAFEGUARDS_TEXT = "Participants consented; no names or faces are published."
IMAGE_TITLE = "Radio studio in Dakar"
IMAGE_DESCRIPTION = "Two young presenters at the microphones of a community radio studio."
SAFEGUARDS_FIELD = "safeguards_do_no_harm"  # one of the four items the reviewer checks
# What an error or a refusal looks like, in either language: Django's and Wagtail's own wording.
REFUSALS = [
    "Server Error",
    "403 Forbidden",
    "Forbidden",
    "Page not found",
    "Sorry, you do not have permission to access this area.",
    "عذراً، ليس لديك الصلاحية للوصول إلى هذه المنطقة.",
]


@pytest.fixture(autouse=True)
def no_autosave(settings):
    """Wagtail 8 autosaves the editor every half second. The live server answers one request at a time, so an
    autosave queued just before the editor's own "Save draft" creates the page first, and the click then meets
    "slug already in use": a race of the test's server, not of the journey. Autosave keeps its own tests."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


@pytest.fixture
def accounts(django_user_model, live_database):
    """The demo's editor, moderator and reviewer; their preferred languages are put back at the end."""
    users = {name: django_user_model.objects.get(username=name) for name in ["editor", "moderator", "reviewer"]}
    for user in users.values():
        profile = UserProfile.get_for_user(user)
        live_database.append(
            lambda pk=profile.pk, previous=profile.preferred_language: UserProfile.objects.filter(pk=pk).update(
                preferred_language=previous
            )
        )
    return users


@pytest.fixture
def title(live_database):
    """The case study's title, unique to the run (its slug too); every page with it is deleted at the end."""
    title = f"{TITLE} {uuid.uuid4().hex[:8]}"

    def remove_case_studies():
        for page in CaseStudyPage.objects.filter(title=title):
            WorkflowState.objects.for_instance(page).delete()
            PageLogEntry.objects.filter(page_id=page.pk).delete()
            page.delete()

    live_database.append(remove_case_studies)
    return title


def prefer(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


class Walk:
    """One user's tab, with the check every step ends with."""

    def __init__(self, page, user, language):
        self.page, self.user, self.language, self.step = page, user, language, 0

    def landed(self, name, path=None):
        page = self.page
        if path is not None:
            # The page the user is sent to (not the one still showing while the form posts); if it never comes, the
            # assertion below says where the user landed instead.
            with contextlib.suppress(PlaywrightTimeoutError):
                page.wait_for_url(lambda url: re.fullmatch(path, urlsplit(url).path) is not None, timeout=20000)
        page.wait_for_load_state()
        self.step += 1
        status = page.evaluate("() => performance.getEntriesByType('navigation')[0].responseStatus")
        assert status == 200, (name, page.url, status)
        assert page.locator("html").get_attribute("lang") == self.language, (name, page.url)
        assert page.locator("html").get_attribute("dir") == ("rtl" if self.language == "ar" else "ltr")
        text = page.locator("body").inner_text()
        for refusal in REFUSALS:
            assert refusal not in text, (name, page.url, refusal)
        assert page.locator(".messages .error").count() == 0, (name, page.locator(".messages").inner_text())
        if path is not None:
            assert re.fullmatch(path, urlsplit(page.url).path), (name, page.url)

    def follow(self, locator):
        """Click something that leads to another page, and wait for that page (not the one still showing)."""
        with self.page.expect_navigation():
            locator.click()

    def sign_in(self):
        page = self.page
        page.goto("/admin/login/")
        page.fill("#id_username", self.user)
        page.fill("#id_password", DEMO_PASSWORD)
        self.follow(page.locator("button[type=submit]"))

    def action_menu(self, selector):
        """A button of the editor's footer: the main one, or one inside the "more actions" dropdown."""
        page = self.page
        item = page.locator(f"footer {selector}").first
        if not item.is_visible():
            page.locator("footer [data-w-dropdown-target='toggle']").first.click()
        self.follow(item)


def switch_user(page):
    """Signs the tab's user out of the browser, as a shared computer is left for the next person: no cookie (so no
    session) and nothing in the site's storage."""
    page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    page.context.clear_cookies()


def png(path):
    Image.new("RGB", (800, 500), (0, 102, 153)).save(path)
    return path


def fill_rich_text(page, fields, text):
    """Writes ``text`` into each rich-text field of ``fields`` (locators), then checks that Draftail stored it."""
    for field in fields:
        field.locator('[contenteditable="true"]').first.click()
        # The text goes in as one input event, as a paste or an input method commits it: Draftail stores it like
        # typed text (the hidden inputs below prove it), and key by key it cost a second or more of CPU per field.
        page.keyboard.insert_text(text)
    # Checked once all are written: checked after each field, every check waited a poll interval or two of
    # ``expect`` for Draftail's update (a quarter of a second or more per field).
    for field in fields:
        expect(field.locator("input[data-draftail-input]")).to_have_value(re.compile(re.escape(text)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_editor_creates_previews_and_submits_a_case_study_then_the_moderator_publishes_it(
    tab, live_database, signed_in, accounts, title, language, tmp_path
):
    image_title = f"{IMAGE_TITLE} {uuid.uuid4().hex[:8]}"
    live_database.append(lambda: [image.delete() for image in get_image_model().objects.filter(title=image_title)])
    for user in accounts.values():
        prefer(user, language)
    listing = CaseStudyIndexPage.objects.get(locale__language_code="en")

    # The editor signs in through the login form and lands on the dashboard.
    editor = Walk(tab(1280), "editor", language)
    editor.sign_in()
    editor.landed("dashboard", r"/admin/")
    page = editor.page

    # Uploads an image through the admin's image library.
    page.goto("/admin/images/")
    editor.landed("images", r"/admin/images/")
    editor.follow(page.locator('a[href$="/admin/images/multiple/add/"]').first)
    editor.landed("upload", r"/admin/images/multiple/add/")
    page.set_input_files("#fileupload", str(png(tmp_path / "radio-studio.png")))
    uploaded = page.locator("#upload-list > li.upload-success")
    uploaded.locator('input[name$="-title"]').fill(image_title)
    uploaded.locator('[name$="-description"]').fill(IMAGE_DESCRIPTION)  # the image block's alt text starts from it
    uploaded.locator('form button[type="submit"]').click()
    expect(page.locator("#upload-list > li")).to_have_count(0)  # saved: the upload's form goes away
    editor.landed("uploaded", r"/admin/images/multiple/add/")

    # Creates a case study under the practice listing: "Add child page" opens the case study form directly.
    page.goto(f"/admin/pages/{listing.pk}/")
    editor.landed("listing-explorer", rf"/admin/pages/{listing.pk}/")
    editor.follow(page.locator(f'a[href$="/admin/pages/{listing.pk}/add_subpage/"]').first)
    editor.landed("create", r"/admin/pages/add/handbook/casestudypage/\d+/")
    page.fill("#id_title", title)
    # Leaving the title field, as a person does, lets Wagtail make the slug from it; saving before that happens
    # would meet "slug required" on the Promote tab.
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).not_to_have_value("")
    page.fill("#id_summary", SUMMARY)
    page.select_option("#id_implementing_country", index=1)
    pillars = page.locator('[data-contentpath="pillars"]')
    if pillars.locator("select").count():
        pillars.locator("select").select_option(index=0)
    else:
        pillars.locator('input[type="checkbox"]').first.check()
    fill_rich_text(page, page.locator('[data-contentpath^="safeguards"]').all(), SAFEGUARDS_TEXT)
    # The practice's picture: an image block in the body, chosen from the library.
    images = page.locator('[data-contentpath="images"]')
    images.locator(".c-sf-add-button").first.click()
    images.locator("button[data-chooser-action-choose]").first.click()
    page.locator(".modal").get_by_text(image_title).first.click()
    expect(page.locator(".modal")).to_be_hidden()
    expect(images.locator('input[name$="alt_text"]').first).to_have_value(IMAGE_DESCRIPTION)
    editor.action_menu("button.action-save")
    editor.landed("saved", r"/admin/pages/\d+/edit/")
    case_study = CaseStudyPage.objects.get(title=title)
    assert case_study.get_latest_revision_as_object().images[0].value["image"].title == image_title

    # Previews it in the side panel: the frame shows the page, not a refusal.
    page.locator('[data-side-panel-toggle="preview"]').click()
    frame = page.frame_locator("#w-preview-iframe")
    frame.locator("h1").filter(has_text=title).wait_for(timeout=15000)
    assert SUMMARY in frame.locator("body").inner_text()

    # And in a new tab.
    with page.context.expect_page() as opened:
        page.locator('a[data-w-preview-target="newTab"]').click()
    preview = opened.value
    preview.wait_for_load_state()
    assert preview.evaluate("() => performance.getEntriesByType('navigation')[0].responseStatus") == 200
    assert title in preview.locator("h1").inner_text()
    preview.close()

    # Submits it for moderation: back to the listing in the explorer, with the workflow started.
    editor.action_menu('button[name="action-submit"]')
    editor.landed("submitted", rf"/admin/pages/{listing.pk}/")
    state = WorkflowState.objects.get(object_id=str(case_study.pk), status=WorkflowState.STATUS_IN_PROGRESS)

    # The reviewer confirms the safeguards (the reviewer's own journey walks this step in the browser).
    review = state.current_task_state
    assert isinstance(review.task.specific, SafeguardsReviewTask)
    checklist = {"legal_basis": True, "do_no_harm": True, "data_protection": True, "gender": True}
    review.task.specific.on_action(review, accounts["reviewer"], "approve", **checklist)

    # The moderator, signed in with their authenticator (the two-factor journey walks that sign-in in both
    # languages), opens the dashboard.
    device = TOTPDevice.objects.create(user=accounts["moderator"], name="Journey authenticator", confirmed=True)
    live_database.append(device.delete)
    # The same browser (one context for the journey: its admin scripts and styles are not fetched again), signed
    # out of the editor's session and storage.
    switch_user(page)
    moderator = Walk(page, "moderator", language)
    signed_in(page, accounts["moderator"], device=device)
    page = moderator.page
    page.goto("/admin/")
    moderator.landed("dashboard", r"/admin/")

    # The case study waits on the desk; the moderator opens it and approves it, which publishes it.
    moderator.follow(page.locator(f'#desk-awaiting-my-review-section a[href$="/admin/pages/{case_study.pk}/edit/"]'))
    moderator.landed("review", rf"/admin/pages/{case_study.pk}/edit/")
    moderator.action_menu('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
    moderator.landed("approved", rf"/admin/pages/{listing.pk}/")
    case_study.refresh_from_db()
    assert case_study.live
    assert TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_APPROVED).count() == 2

    # Schedules a go-live time for its next version: the status panel's "Set schedule", then "Save schedule".
    go_live = (timezone.localtime() + datetime.timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    page.goto(f"/admin/pages/{case_study.pk}/edit/")
    moderator.landed("edit", rf"/admin/pages/{case_study.pk}/edit/")
    page.locator('[data-side-panel-toggle="status"]').click()
    page.locator('[data-a11y-dialog-show="schedule-publishing-dialog"]').first.click()
    dialog = page.locator("#schedule-publishing-dialog")
    dialog.locator("#id_go_live_at").fill(go_live.strftime("%Y-%m-%d %H:%M"))
    # The date picker stays open over the dialog's button: the moderator saves with the keyboard.
    with page.expect_navigation():
        dialog.locator("button[type=submit]").press("Enter")
    moderator.landed("scheduled", rf"/admin/pages/{case_study.pk}/edit/")
    case_study.refresh_from_db()
    assert case_study.get_latest_revision_as_object().go_live_at == go_live

    # Unpublishes it: the confirmation page, then back in the explorer; the public page is gone.
    moderator.action_menu(f'a[href*="/admin/pages/{case_study.pk}/unpublish/"]')
    moderator.landed("unpublish", rf"/admin/pages/{case_study.pk}/unpublish/")
    moderator.follow(page.locator("main form [type=submit]").first)
    moderator.landed("unpublished", rf"/admin/pages/({listing.pk}|{case_study.pk}/edit)/")
    case_study.refresh_from_db()
    assert not case_study.live
    switch_user(page)
    assert page.goto(case_study.url).status == 404  # a reader (signed out) no longer finds it


@pytest.mark.parametrize("language", LANGUAGES)
def test_reviewer_comments_on_the_safeguards_and_the_editor_sees_the_comment(
    tab, live_database, signed_in, accounts, title, language
):
    for user in accounts.values():
        prefer(user, language)
    listing = CaseStudyIndexPage.objects.get(locale__language_code="en")
    case_study = CaseStudyPageFactory(
        parent=listing, title=title, live=False, implementing_country=Country.objects.first()
    )
    case_study.save_revision(user=accounts["editor"])
    case_study.get_workflow().start(case_study, accounts["editor"])
    submitted = case_study.get_latest_revision()
    comment_text = "Do no harm: the second sentence names the village; remove it."

    # The reviewer opens the case study from the desk, selects the safeguards text and comments on it.
    reviewer = Walk(tab(1280), "reviewer", language)
    signed_in(reviewer.page, accounts["reviewer"])
    page = reviewer.page
    page.goto("/admin/")
    reviewer.landed("dashboard", r"/admin/")
    reviewer.follow(page.locator(f'#desk-awaiting-my-review-section a[href$="/admin/pages/{case_study.pk}/edit/"]'))
    reviewer.landed("review", rf"/admin/pages/{case_study.pk}/edit/")
    safeguards = page.locator(f'[data-contentpath="{SAFEGUARDS_FIELD}"]')
    safeguards.locator('[contenteditable="true"]').click()
    page.keyboard.press("Control+A")
    page.locator('.Draftail-ToolbarButton[name="comment"]:visible').click()
    page.locator("textarea.comment__input").fill(comment_text)
    # The comment goes into the form once it shows as written. On a loaded machine the comment box can re-render
    # under the typing or the click, which is then lost (an emptied box's button is disabled: a click on it waited for
    # the whole action timeout): write it again and click again, as a person would, until it shows.
    written = page.locator(".comment__text", has_text=comment_text)
    for _attempt in range(3):
        box = page.locator("textarea.comment__input:visible")
        if box.count() and box.first.input_value() != comment_text:
            box.first.fill(comment_text)
        button = page.locator(".comment__button--primary:visible")
        if button.count():
            with contextlib.suppress(PlaywrightTimeoutError):
                button.first.click(timeout=10_000)
        with contextlib.suppress(PlaywrightTimeoutError):
            written.first.wait_for(state="attached", timeout=10_000)
            break
    assert written.count() == 1, "the comment never showed as written"
    reviewer.action_menu("button.action-save")
    reviewer.landed("commented", rf"/admin/pages/{case_study.pk}/edit/")
    assert page.locator(".messages .success").count() == 1

    comment = case_study.wagtail_admin_comments.get()
    assert (comment.contentpath, comment.text, comment.user) == (SAFEGUARDS_FIELD, comment_text, accounts["reviewer"])
    assert comment.position  # anchored on the selected text, not just the field
    case_study.refresh_from_db()
    assert case_study.latest_revision_id == submitted.pk  # the page is as the editor submitted it
    assert not case_study.live

    # The editor opens the page and finds the comment on the safeguards.
    switch_user(page)
    editor = Walk(page, "editor", language)
    signed_in(page, accounts["editor"])
    page.goto(f"/admin/pages/{case_study.pk}/edit/")
    editor.landed("sees-comment", rf"/admin/pages/{case_study.pk}/edit/")
    expect(editor.page.locator(".comment__text").filter(has_text=comment_text)).to_have_count(1)
