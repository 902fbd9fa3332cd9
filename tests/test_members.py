"""Member registration: sign-up with a verified e-mail address (django-allauth), approval or rejection by programme
staff in the admin, what a pending sign-up and an approved member may see, the sign-in lockout on the members'
login, staff two-factor rules through the members' login, bad input, and the role matrix's new cells (README)."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from accounts.factories import PASSWORD, UserFactory
from accounts.members import is_member
from accounts.models import MembershipRequest
from accounts.roles import EDITORS, MEMBERS, MODERATORS, PROGRAMME_STAFF, REVIEWERS, TRANSLATORS
from handbook.factories import ExpertFactory
from handbook.models.people import Visibility
from tests.conftest import VerifiedClient  # the suite's client, whose sessions passed two-factor

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "a-long-member-passphrase"
MEMBERS_ONLY_NAME = "Tessaveline"  # a members-only expert's name: a marker word found nowhere else
ADMIN_REQUESTS = "/admin/membership-requests/"


def signup(client, language="en", **overrides):
    data = {
        "full_name": "Nadia Example",
        "organisation": "Ministry of Justice",
        "motivation": "I run a prison mentoring programme.",
        "email": "nadia@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }
    return client.post(f"/{language}/members/signup/", data)


def confirmation_link(message):
    return re.search(r"https?://[^/\s]+(/\S+/members/confirm-email/\S+/)", message.body).group(1)


def verified_signup(language="en", email="nadia@example.org"):
    """Sign up and confirm the address, as the person would; returns their membership request."""
    client = Client()
    assert signup(client, language, email=email).status_code == 302
    link = confirmation_link(mail.outbox[-1])
    assert client.post(link).status_code == 302
    return MembershipRequest.objects.get(user__email=email)


def sign_in(client, email, password=NEW_PASSWORD, language="en"):
    return client.post(f"/{language}/members/login/", {"login": email, "password": password})


def staff_client(*groups):
    client = VerifiedClient()
    client.force_login(UserFactory(groups=[PROGRAMME_STAFF, *groups]))
    return client


def decide(client, membership, decision, reason=""):
    return client.post(f"{ADMIN_REQUESTS}{membership.pk}/decide/", {"decision": decision, "reason": reason})


@pytest.fixture
def members_only_expert():
    return ExpertFactory(name=MEMBERS_ONLY_NAME, name_latin=MEMBERS_ONLY_NAME, visibility=Visibility.MEMBERS)


def test_sign_up_verify_wait_for_approval_then_see_members_only_profiles(members_only_expert):
    client = Client()
    page = client.get("/ar/members/signup/")
    assert page.status_code == 200 and 'dir="rtl"' in page.content.decode()
    assert "انضم" in page.content.decode() or "العضوية" in page.content.decode()
    response = signup(client, "ar")
    assert response.status_code == 302 and response["Location"] == "/ar/members/confirm-email/"
    membership = MembershipRequest.objects.get(user__email="nadia@example.org")
    assert membership.language == "ar" and membership.state == "pending"
    assert not is_member(membership.user)

    # Not verified yet: signing in sends another link instead, and staff do not see the request.
    assert "_auth_user_id" not in client.session
    assert sign_in(client, "nadia@example.org").status_code == 302
    assert "_auth_user_id" not in client.session
    staff = staff_client()
    assert "nadia@example.org" not in staff.get(ADMIN_REQUESTS).content.decode()

    # The confirmation e-mail is in Arabic; its link verifies the address.
    confirmation = mail.outbox[0]
    assert "الجنوب" in confirmation.subject
    assert client.post(confirmation_link(confirmation)).status_code == 302
    assert sign_in(client, "nadia@example.org", language="ar")["Location"] == "/ar/members/"
    status = client.get("/ar/members/")
    assert 'data-membership="pending"' in status.content.decode()
    # Pending: signed in, but the members-only profile is not shown.
    directory = client.get("/en/experts/").content.decode()
    assert MEMBERS_ONLY_NAME not in directory
    profile_url = f"/en/experts/{members_only_expert.translation_key}/"
    assert client.get(profile_url).status_code == 404

    # Programme staff see the request and approve it; the person is told in Arabic.
    listing = staff.get(ADMIN_REQUESTS).content.decode()
    assert "nadia@example.org" in listing and "Ministry of Justice" in listing
    mail.outbox.clear()
    assert decide(staff, membership, "approve").status_code == 302
    membership.refresh_from_db()
    assert membership.state == "approved" and is_member(membership.user)
    assert membership.user.groups.filter(name=MEMBERS).exists()
    (approval,) = mail.outbox
    assert approval.to == ["nadia@example.org"] and "عضو" in approval.body
    assert "/ar/members/login/" in approval.body
    assert "nadia@example.org" not in staff.get(ADMIN_REQUESTS).content.decode()  # decided: off the list

    # Now a member: the profile and the directory entry appear.
    assert 'data-membership="member"' in client.get("/ar/members/").content.decode()
    assert MEMBERS_ONLY_NAME in client.get("/en/experts/").content.decode()
    assert client.get(profile_url).status_code == 200


def test_rejection_needs_a_reason_which_the_person_is_told_in_their_language():
    membership = verified_signup("fr", email="refuse@example.org")
    staff = staff_client()
    mail.outbox.clear()
    response = decide(staff, membership, "reject", reason="   ")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.state == "pending" and not mail.outbox  # no reason: nothing decided
    messages = staff.get(ADMIN_REQUESTS).content.decode()
    assert "Give the reason for the rejection" in messages
    decide(staff, membership, "reject", reason="Nous ne trouvons pas votre organisation.")
    membership.refresh_from_db()
    assert membership.state == "rejected" and not is_member(membership.user)
    (message,) = mail.outbox
    assert "Nous ne trouvons pas votre organisation." in message.body
    assert "Bonjour" in message.body or "Madame" in message.body or "Cher" in message.body
    # Decided once: approving afterwards is refused.
    decide(staff, membership, "approve")
    membership.refresh_from_db()
    assert membership.state == "rejected"
    client = Client()
    sign_in(client, "refuse@example.org", language="fr")
    status = client.get("/fr/members/").content.decode()
    assert 'data-membership="rejected"' in status and "Nous ne trouvons pas votre organisation." in status


def test_an_unverified_request_cannot_be_approved():
    signup(Client(), email="unverified@example.org")
    membership = MembershipRequest.objects.get(user__email="unverified@example.org")
    decide(staff_client(), membership, "approve")
    membership.refresh_from_db()
    assert membership.state == "pending" and not is_member(membership.user)


def test_is_member_means_an_active_account_in_the_members_group():
    member = UserFactory(groups=[MEMBERS])
    assert is_member(member)
    member.is_active = False
    assert not is_member(member)
    assert not is_member(UserFactory(groups=[PROGRAMME_STAFF]))
    assert not is_member(UserFactory())


# --- The role matrix's new cells (README "Members"): each is one request over HTTP. -------------------------------
ROLES = ["anonymous", "pending", "member", "staff", "editor", "translator", "reviewer"]
MAY_DECIDE = {"staff"}


def client_for(role):
    if role == "anonymous":
        return Client(), None
    if role == "pending":
        membership = verified_signup(email="pending@example.org")
        client = Client()
        sign_in(client, "pending@example.org")
        return client, membership.user
    groups = {
        "member": [MEMBERS],
        "staff": [PROGRAMME_STAFF],
        "editor": [EDITORS],
        "translator": [TRANSLATORS],
        "reviewer": [REVIEWERS],
    }[role]
    user = UserFactory(groups=groups)
    client = VerifiedClient()
    client.force_login(user)
    return client, user


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_membership_requests(role):
    verified_signup(email="waiting@example.org")
    client, _user = client_for(role)
    response = client.get(ADMIN_REQUESTS)
    if role in MAY_DECIDE:
        assert response.status_code == 200 and "waiting@example.org" in response.content.decode()
    else:
        assert response.status_code in {302, 403}
        assert "waiting@example.org" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_who_may_approve_a_request(role):
    membership = verified_signup(email="waiting@example.org")
    client, _user = client_for(role)
    response = decide(client, membership, "approve")
    membership.refresh_from_db()
    if role in MAY_DECIDE:
        assert response.status_code == 302 and membership.state == "approved"
    else:
        assert response.status_code in {302, 403} and membership.state == "pending"


@pytest.mark.parametrize("role", ROLES)
def test_who_may_reject_a_request(role):
    membership = verified_signup(email="waiting@example.org")
    client, _user = client_for(role)
    response = decide(client, membership, "reject", reason="Not an expert in the field.")
    membership.refresh_from_db()
    assert membership.state == ("rejected" if role in MAY_DECIDE else "pending"), response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_members_only_profiles(role, members_only_expert):
    client, _user = client_for(role)
    response = client.get(f"/en/experts/{members_only_expert.translation_key}/")
    assert response.status_code == (200 if role in {"member", "staff"} else 404)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_sign_up_and_who_is_sent_to_their_membership_page(role):
    client, _user = client_for(role)
    for page in ["signup/", "login/"]:
        response = client.get(f"/en/members/{page}")
        if role == "anonymous":
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and response["Location"] == "/en/members/"


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_their_membership_state(role):
    client, _user = client_for(role)
    response = client.get("/en/members/")
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/en/members/login/")
        return
    state = {"pending": "pending", "member": "member"}.get(role, "none")
    assert response.status_code == 200 and f'data-membership="{state}"' in response.content.decode()


@pytest.mark.parametrize("role", ["pending", "member"])
def test_members_and_pending_sign_ups_have_no_admin_access(role):
    client, _user = client_for(role)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_anyone_may_open_the_sign_up_sign_in_and_password_reset_pages():
    client = Client()
    for language in ["en", "ar", "fr", "es", "ru", "zh-hans"]:
        for page in ["signup/", "login/", "password/reset/"]:
            response = client.get(f"/{language}/members/{page}")
            assert response.status_code == 200, (language, page)
            assert f'lang="{language}"' in response.content.decode()
        login = client.get(f"/{language}/members/login/").content.decode()
        assert f'href="/{language}/members/password/reset/"' in login  # "Forgotten your password?"
    assert client.get("/en/members/").status_code == 302  # the status page needs signing in


# --- Sign-in safety -----------------------------------------------------------------------------------------------
def test_wrong_passwords_on_the_members_login_lock_the_account_as_on_the_admin_login():
    membership = verified_signup(email="locked@example.org")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "locked@example.org", "wrong-password")
        assert response.status_code == 200 and "form-errors" in response.content.decode()
    assert sign_in(client, "locked@example.org", "wrong-password").status_code == 429
    locked = sign_in(client, "locked@example.org")  # even the right password is refused now
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    # The same account at the admin's login, from another address, is locked too.
    admin_login = Client(REMOTE_ADDR="10.0.0.9").post(
        "/admin/login/", {"username": membership.user.username, "password": NEW_PASSWORD}
    )
    assert admin_login.status_code == 429
    # And from the first address, nobody else can sign in on the members' login either.
    other = verified_signup(email="other@example.org")
    assert sign_in(client, other.user.email).status_code == 429


def test_staff_signing_in_on_the_members_login_still_need_their_second_factor():
    moderator = UserFactory(groups=[MODERATORS], email="moderator.person@example.org")
    moderator.emailaddress_set.create(email=moderator.email, verified=True, primary=True)
    client = Client()
    response = sign_in(client, moderator.email, PASSWORD)
    assert response.status_code == 302 and "_auth_user_id" in client.session
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin["Location"] == "/admin/two-factor/setup/"
    assert client.get("/admin/pages/").status_code == 302


def test_my_profile_sends_experts_to_the_members_sign_in():
    response = Client().get("/ar/my-profile/")
    assert response.status_code == 302 and response["Location"].startswith("/ar/members/login/")


# --- Bad input: form errors in the reader's language, never a server error. -----------------------------------------
@pytest.mark.parametrize(
    "overrides",
    [
        {"email": "not-an-address"},
        {"password2": "another-long-passphrase"},
        {"password1": "short", "password2": "short"},
        {"full_name": "", "organisation": ""},
        {"full_name": "x" * 5000, "organisation": "y" * 5000, "motivation": "z" * 50_000},
        {"email": "\x00@example.org"},
    ],
)
def test_bad_sign_ups_get_form_errors(overrides):
    response = signup(Client(), "ar", **overrides)
    assert response.status_code == 200
    assert 'class="form-field__error"' in response.content.decode()
    assert not MembershipRequest.objects.exists() and not mail.outbox


def test_signing_up_twice_with_one_address_makes_one_account():
    verified_signup(email="twice@example.org")
    response = signup(Client(), email="twice@example.org")
    # allauth does not reveal that the address is taken: it says a link was sent, and e-mails the owner instead.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="twice@example.org").count() == 1
    assert MembershipRequest.objects.filter(user__email="twice@example.org").count() == 1


def test_password_reset_mail_is_in_the_readers_language():
    verified_signup(email="forgetful@example.org")
    mail.outbox.clear()
    response = Client().post("/ru/members/password/reset/", {"email": "forgetful@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "/ru/members/password/reset/key/" in message.body
    assert re.search("[а-яА-Я]", message.subject)


def test_the_members_group_exists_for_approvals():
    assert Group.objects.filter(name=MEMBERS).exists()
