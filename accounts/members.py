"""Registered members: sign-up with django-allauth, approval by programme staff, and what being a member means.

A person signs up on the public site (``/<language>/members/signup/``, ``core.paths.MEMBERS_PATH``) with their
e-mail address, a password, their name and organisation; they must verify the address before they can sign in. That
makes them a *pending* member: signed in, nothing more (the public expert profiles only). Programme staff approve or
reject the request in the admin (``accounts.membership_admin``); approval puts the person in the "Registered
members" group (``roles.MEMBERS``), rejection keeps them out and says why. Both are e-mailed in the language the
person signed up in.

``is_member`` is the one test of membership for the rest of the site: an active account in the MEMBERS group.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.client_address import client_address

from .models import MembershipRequest
from .roles import MEMBERS

REASON_MAX_LENGTH = 2000


def is_member(user):
    """An approved member: an active account in the "Registered members" group."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.groups.filter(name=MEMBERS).exists()
    )


def attempted_username(request, credentials):
    """The account a sign-in attempt is for, for django-axes (AXES_USERNAME_CALLABLE): the admin's login names it by
    user name, the members' login (django-allauth) by e-mail address. An address that belongs to exactly one
    account counts as that account's user name, so failures on either login page lock the same account."""
    credentials = credentials or {}
    data = getattr(request, "POST", {}) if request is not None else {}
    name = credentials.get("username") or credentials.get("email") or data.get("username") or data.get("login")
    if not isinstance(name, str) or "@" not in name:
        return name
    address = name.strip().lower()
    accounts = list(get_user_model().objects.filter(email__iexact=address).values_list("username", flat=True)[:2])
    return accounts[0] if len(accounts) == 1 else address


class MemberAccountAdapter(DefaultAccountAdapter):
    """allauth's behaviour, with the site's name (in the reader's language) in front of its e-mails' subjects."""

    def format_email_subject(self, subject):
        return f"{gettext('South–South Exchange')}: {subject}"

    def get_client_ip(self, request):
        """What allauth's limits (sign-ups, password resets, e-mails) count by: the client's address behind the
        TRUSTED_PROXIES, as for every other limit (allauth's own reading trusts a count of proxies instead)."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address


class MemberDetailsForm(forms.Form):
    """What staff need to decide on a sign-up, added to allauth's form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("The institution or organisation you work for."),
    )
    motivation = forms.CharField(
        label=_("Why you would like to join"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: your field of work and what you hope to share. At most 1,000 characters."),
    )

    def signup(self, request, user):
        """allauth's hook, once the account exists: record the request in the reader's language."""
        user.first_name = self.cleaned_data["full_name"][:150]
        user.save(update_fields=["first_name"])
        MembershipRequest.objects.create(
            user=user,
            full_name=self.cleaned_data["full_name"],
            organisation=self.cleaned_data["organisation"],
            motivation=self.cleaned_data["motivation"],
            language=translation.get_language() or "en",
        )


def pending_requests():
    """Requests staff can decide: undecided, of an active account whose e-mail address is verified."""
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    return (
        MembershipRequest.objects.filter(state=MembershipRequest.State.PENDING, user__is_active=True)
        .filter(user_id__in=verified)
        .select_related("user")
    )


def _notify(membership_request):
    """E-mail the decision to the person, in the language they signed up in (Django's e-mail backend)."""
    with translation.override(membership_request.language):
        login_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("account_login")
        context = {"membership": membership_request, "login_url": login_url}
        subject = " ".join(render_to_string("accounts/email/membership_subject.txt", context).split())
        body = render_to_string("accounts/email/membership_decided.txt", context)
    send_mail(subject, body, None, [membership_request.user.email])


def approve(membership_request, by):
    """Make the person a member; refused unless the request is still pending and the address verified."""
    if not pending_requests().filter(pk=membership_request.pk).exists():
        raise ValidationError(gettext("This request has already been decided, or its e-mail address is not verified."))
    with transaction.atomic():
        membership_request.state = MembershipRequest.State.APPROVED
        membership_request.decided_at = timezone.now()
        membership_request.decided_by = by
        membership_request.save()
        membership_request.user.groups.add(Group.objects.get(name=MEMBERS))
    _notify(membership_request)


def reject(membership_request, by, reason):
    """Keep the person out, with the reason they are told; a reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(gettext("Give the reason for the rejection: the person is told it."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(gettext("The reason is too long (at most 2,000 characters)."))
    if not pending_requests().filter(pk=membership_request.pk).exists():
        raise ValidationError(gettext("This request has already been decided, or its e-mail address is not verified."))
    with transaction.atomic():
        membership_request.state = MembershipRequest.State.REJECTED
        membership_request.decided_at = timezone.now()
        membership_request.decided_by = by
        membership_request.rejection_reason = reason
        membership_request.save()
        membership_request.user.groups.remove(Group.objects.get(name=MEMBERS))
    _notify(membership_request)


@never_cache
@require_GET
@login_required
def member_status(request):
    """Where a member lands after signing in: whether they are a member yet, and what that gives them."""
    membership = MembershipRequest.objects.filter(user=request.user).first()
    context = {"membership": membership, "is_member": is_member(request.user)}
    return render(request, "accounts/member_status.html", context)


# Under /<language>/members/ (config/urls.py, core.paths.MEMBERS_PATH): the status page, then allauth's pages.
urlpatterns = [
    path("", member_status, name="member_status"),
    path("", include("allauth.account.urls")),
]
