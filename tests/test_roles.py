"""The role × action matrix of README, cell by cell, through the admin's own HTTP views.

Each cell is one request (or the few a user would make) by one role on a live English page of one section, and
asserts the outcome the user sees: the view opens (200) or is refused (403/404, or the admin's redirect to the
dashboard or to the login page), and, for actions that change something, whether the change happened.
"""

import copy
import functools

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState

from handbook.models import CaseStudyIndexPage, CaseStudyPage, ChapterPage, HandbookPage
from news.models import NewsIndexPage, NewsPage

from .admin_forms import edit_form_data
from .conftest import VerifiedClient

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor", "moderator", "translator", "reviewer", "webmaster"]
SECTIONS = {
    "handbook": (ChapterPage, HandbookPage),
    "case studies": (CaseStudyPage, CaseStudyIndexPage),
    "news": (NewsPage, NewsIndexPage),
}
Y, N = True, False
# The pages acted on are the source-language (English) pages. Translators edit and submit only in their own
# languages ("Translators: ar" …): that side is tested in tests/test_translators.py.
# role:            anonymous editor moderator translator reviewer webmaster (Site administrators)
PAGE_MATRIX = {
    "create": [N, Y, Y, N, N, Y],
    "edit": [N, Y, Y, N, N, Y],
    "submit": [N, Y, Y, N, N, Y],
    "approve": [N, N, Y, N, N, N],
    "publish": [N, N, Y, N, N, Y],
    "unpublish": [N, N, Y, N, N, Y],
    "delete": [N, N, Y, N, N, Y],
    "move": [N, N, Y, N, N, Y],
    "translate": [N, Y, Y, Y, N, Y],
}
# Case studies differ: the safeguards review is the reviewers' approval, and nobody but a superuser publishes one
# outside the workflow (the moderators' approval after the review publishes it).
CASE_STUDY_MATRIX = {
    **PAGE_MATRIX,
    "approve": [N, N, Y, N, Y, N],
    "publish": [N, N, N, N, N, N],
}
SITE_MATRIX = {
    "upload": [N, Y, Y, N, N, Y],
    "manage users": [N, N, N, N, N, Y],
}
CHECKLIST = {"legal_basis": "on", "do_no_harm": "on", "data_protection": "on", "gender": "on"}


def expected(section, action, role):
    matrix = CASE_STUDY_MATRIX if section == "case studies" else PAGE_MATRIX
    return matrix[action][ROLES.index(role)]


def refused(response):
    """How the admin refuses: 403/404, or a redirect to the dashboard ("permission denied") or to the login (after
    any redirect between admin views, e.g. from the revisions list to the history)."""
    if response.status_code in {403, 404}:
        return True
    if response.status_code == 302:
        location = response["Location"]
        if location == reverse("wagtailadmin_home") or location.startswith(reverse("wagtailadmin_login")):
            return True
        if location.startswith("/admin/") and response.wsgi_request.method == "GET":
            return refused(response.client.get(location))
    return False


def opened(response):
    return response.status_code == 200


@pytest.fixture(scope="module")
def signed_in(module_transaction, django_db_blocker):
    """Each role's account and its session cookie, signed in (two-factor verified) once for the module's 190 tests:
    a test's requests find the session as a browser's next request would; what a test changes in it, or in the
    account, is undone after the test with the rest of its writes."""
    User = get_user_model()
    with django_db_blocker.unblock():
        users = {name: User.objects.get(username=name) for name in ["admin", *ROLES[1:]]}
        cookies = {}
        for role in ROLES[1:]:
            client = VerifiedClient()
            client.force_login(users[role])
            cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return users, cookies


class Accounts(dict):
    """The accounts by name, and the cookie of each role's session."""

    def __init__(self, users, session_cookies):
        super().__init__(users)
        self.session_cookies = session_cookies


@pytest.fixture
def accounts(signed_in, db):
    users, cookies = signed_in
    return Accounts(copy.deepcopy(users), cookies)  # a test's changes in memory stay its own


def log_in(client, accounts, role):
    if role != "anonymous":
        # The session of ``signed_in``: what ``client.force_login`` would make, without a login per test.
        client.cookies[settings.SESSION_COOKIE_NAME] = accounts.session_cookies[role]


def live_page(section):
    model, _ = SECTIONS[section]
    return model.objects.live().filter(locale__language_code="en").order_by("path").first()


@functools.cache
def unchanged_form_data(page_pk, admin_pk):
    """The edit form's data of a page of the sample site, which no test leaves changed: built once per page (the
    form class and its choices cost a good part of a request)."""
    return edit_form_data(Page.objects.get(pk=page_pk), get_user_model().objects.get(pk=admin_pk))


def changed_title(client, page, accounts, action):
    data = {
        **unchanged_form_data(page.pk, accounts["admin"].pk),
        "title": f"{page.title} ({action})",
        f"action-{action}": action,
    }
    return client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)


def do_create(client, section, page, accounts):
    model, parent_model = SECTIONS[section]
    parent = page.get_parent()
    response = client.get(
        reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))
    )
    return opened(response), refused(response)


def do_edit(client, section, page, accounts):
    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    return opened(response), refused(response)


def do_submit(client, section, page, accounts):
    response = changed_title(client, page, accounts, "submit")
    started = WorkflowState.objects.for_instance(page).filter(status=WorkflowState.STATUS_IN_PROGRESS).exists()
    return started, not started and (refused(response) or response.status_code == 302)


def do_approve(client, section, page, accounts, role=None):
    workflow_state = page.get_workflow().start(page, accounts["editor"])
    task_state = workflow_state.current_task_state
    if section == "case studies" and role == "moderator":
        # The moderators' step comes after the reviewers' safeguards review.
        task_state.specific.approve(user=accounts["reviewer"], comment="Safeguards confirmed.")
        task_state = WorkflowState.objects.get(pk=workflow_state.pk).current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    response = client.post(url, {**CHECKLIST, "comment": "Approved in a test."})
    task_state.refresh_from_db()
    approved = task_state.status == TaskState.STATUS_APPROVED
    return approved, not approved and refused(response)


def do_publish(client, section, page, accounts):
    title = page.title
    response = changed_title(client, page, accounts, "publish")
    page.refresh_from_db()
    published = page.title != title
    # Refused: nothing published and no workflow started in its place either.
    return published, not published and response.status_code in {200, 302, 403}


def do_unpublish(client, section, page, accounts):
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)))
    page.refresh_from_db()
    return not page.live, page.live and refused(response)


def do_delete(client, section, page, accounts):
    response = client.post(reverse("wagtailadmin_pages:delete", args=(page.pk,)))
    gone = not Page.objects.filter(pk=page.pk).exists()
    return gone, not gone and refused(response)


def do_move(client, section, page, accounts):
    # Moving within its own parent is the move a section allows (each listing is one per language).
    parent = page.get_parent()
    confirm = client.get(reverse("wagtailadmin_pages:move_confirm", args=(page.pk, parent.pk)))
    chooser = client.get(reverse("wagtailadmin_pages:move", args=(page.pk,)))
    return opened(confirm) and opened(chooser), refused(confirm) and refused(chooser)


def do_translate(client, section, page, accounts):
    response = client.get(reverse("wagtail_localize:submit_page_translation", args=(page.pk,)))
    return opened(response), refused(response)


ACTIONS = {
    "create": do_create,
    "edit": do_edit,
    "submit": do_submit,
    "approve": do_approve,
    "publish": do_publish,
    "unpublish": do_unpublish,
    "delete": do_delete,
    "move": do_move,
    "translate": do_translate,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("section", list(SECTIONS))
def test_page_action(client, accounts, section, action, role):
    page = live_page(section)
    log_in(client, accounts, role)
    perform = ACTIONS[action]
    if action == "approve":
        allowed, denied = perform(client, section, page, accounts, role=role)
    else:
        allowed, denied = perform(client, section, page, accounts)
    if expected(section, action, role):
        assert allowed, f"{role} should be able to {action} in {section}"
    else:
        assert denied and not allowed, f"{role} must not be able to {action} in {section}"


@pytest.mark.parametrize("role", ROLES)
def test_upload(client, accounts, role):
    log_in(client, accounts, role)
    images = client.get(reverse("wagtailimages:add_multiple"))
    documents = client.get(reverse("wagtaildocs:add_multiple"))
    if SITE_MATRIX["upload"][ROLES.index(role)]:
        assert opened(images) and opened(documents)
    else:
        assert refused(images) and refused(documents)


@pytest.mark.parametrize("role", ROLES)
def test_manage_users(client, accounts, role):
    log_in(client, accounts, role)
    listing = client.get(reverse("wagtailusers_users:index"))
    promote = client.post(
        reverse("wagtailusers_users:edit", args=(accounts["editor"].pk,)),
        {"username": "editor", "email": "editor@example.org", "is_superuser": "on", "groups": []},
    )
    accounts["editor"].refresh_from_db()
    assert not accounts["editor"].is_superuser  # nobody below a superuser makes a superuser
    if SITE_MATRIX["manage users"][ROLES.index(role)]:
        assert opened(listing)
    else:
        assert refused(listing) and refused(promote)


# --- the bulk actions and API routes that could bypass the editor ------------------------------------------------
def bulk(action, *pages):
    return (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
        + "?"
        + "&".join(f"id={page.pk}" for page in pages)
    )


@pytest.mark.parametrize("role", ["editor", "translator", "reviewer"])
def test_bulk_actions_refuse_what_the_editor_refuses(client, accounts, role):
    log_in(client, accounts, role)
    news = live_page("news")
    practice = live_page("case studies")
    client.post(bulk("unpublish", news, practice), {"include_descendants": "False"})
    client.post(bulk("delete", news, practice), {})
    destination = Page.objects.get(slug="home", locale__language_code="en")
    client.post(bulk("move", news), {"chooser": destination.pk})
    for page in (news, practice):
        page.refresh_from_db()
        assert page.live
    assert news.get_parent().specific_class is NewsIndexPage


def test_moderators_cannot_bulk_publish_a_case_study_past_the_review(client, accounts):
    practice = live_page("case studies")
    practice.title = "Unreviewed change"
    practice.save_revision(user=accounts["editor"])
    client.force_login(accounts["moderator"])
    client.post(bulk("publish", practice), {"include_descendants": "False"})
    practice.refresh_from_db()
    assert practice.title != "Unreviewed change"


def test_there_is_no_public_api_to_bypass_the_admin(client):
    for url in ["/api/v2/pages/", "/api/pages/", "/en/api/v2/pages/"]:
        assert client.get(url, follow=True).status_code == 404


# --- side doors of past Wagtail advisories: out-of-scope objects give 403/404 --------------------------------------
def side_doors(page, accounts):
    revision = page.latest_revision
    yield "preview", "get", reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    yield "view draft", "get", reverse("wagtailadmin_pages:view_draft", args=(page.pk,))
    yield "revisions", "get", reverse("wagtailadmin_pages:revisions_index", args=(page.pk,))
    yield "revision view", "get", reverse("wagtailadmin_pages:revisions_view", args=(page.pk, revision.pk))
    yield "revisions compare", "get", reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, "live", "latest"))
    yield "history", "get", reverse("wagtailadmin_pages:history", args=(page.pk,))
    yield "workflow history", "get", reverse("wagtailadmin_pages:workflow_history", args=(page.pk,))
    yield "copy", "post", reverse("wagtailadmin_pages:copy", args=(page.pk,))
    yield "revert", "post", reverse("wagtailadmin_pages:revisions_revert", args=(page.pk, revision.pk))
    yield "lock", "post", reverse("wagtailadmin_pages:lock", args=(page.pk,))
    yield "translate", "get", reverse("wagtail_localize:submit_page_translation", args=(page.pk,))
    yield "convert alias", "post", reverse("wagtail_localize:convert_to_alias", args=(page.pk,))


@pytest.mark.parametrize("role", ["anonymous", "reviewer"])
@pytest.mark.parametrize("section", list(SECTIONS))
def test_side_doors_refuse_users_without_rights_on_the_page(client, accounts, section, role):
    page = live_page(section)
    log_in(client, accounts, role)
    pages_before = Page.objects.count()
    for name, method, url in side_doors(page, accounts):
        response = getattr(client, method)(
            url, {"new_title": "Copy", "new_slug": "copy", "new_parent_page": page.get_parent().pk}
        )
        assert refused(response), f"{role} reached {name}: {response.status_code}"
    assert Page.objects.count() == pages_before
    page.refresh_from_db()
    assert not page.locked


def test_image_previews_and_choosers_refuse_users_without_media_rights(client, accounts):
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Workshop photo", file=get_test_image_file())
    document = Document.objects.create(title="Internal evaluation", file=get_test_image_file(filename="eval.txt"))
    for role in ["anonymous", "reviewer", "translator"]:
        client.logout()
        log_in(client, accounts, role)
        for url in [
            reverse("wagtailimages:preview", args=(image.pk, "original")),
            reverse("wagtailimages:edit", args=(image.pk,)),
            reverse("wagtaildocs:edit", args=(document.pk,)),
        ]:
            assert refused(client.get(url)), f"{role} reached {url}"
        # The choosers open (a page editor's form embeds them) but list nothing the user may not choose.
        for url, title in [
            (reverse("wagtailimages_chooser:choose"), image.title),
            (reverse("wagtaildocs_chooser:choose"), document.title),
        ]:
            response = client.get(url)
            assert refused(response) or title not in response.content.decode(), f"{role} sees {title} in {url}"


def test_reviewers_reach_the_editor_only_for_pages_in_their_review(client, accounts):
    page = live_page("case studies")
    client.force_login(accounts["reviewer"])
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))))
    page.get_workflow().start(page, accounts["editor"])
    assert opened(client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))))
    other = CaseStudyPage.objects.live().filter(locale__language_code="en").exclude(pk=page.pk).first()
    assert refused(client.get(reverse("wagtailadmin_pages:edit", args=(other.pk,))))
