"""Deciding membership requests in the admin: programme staff list the verified sign-ups waiting for approval and
approve or reject each (with a reason). Who may is a model permission the "Programme staff" group holds
(``accounts/migrations/0002_…``); superusers too."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .members import approve, pending_requests, reject
from .models import MembershipRequest

DECIDE_PERMISSION = "accounts.change_membershiprequest"


def may_decide(user):
    return user.is_active and user.has_perm(DECIDE_PERMISSION)


def _checked(request):
    if not may_decide(request.user):
        raise PermissionDenied


@require_GET
def pending(request):
    _checked(request)
    return TemplateResponse(
        request,
        "accounts/admin/membership_requests.html",
        {"requests": pending_requests(), "reason_max_length": 2000},
    )


@require_POST
def decide(request, pk):
    _checked(request)
    membership_request = get_object_or_404(MembershipRequest, pk=pk)
    decision = request.POST.get("decision")
    try:
        if decision == "approve":
            approve(membership_request, request.user)
            message = _("%(name)s is now a registered member and has been told by e-mail.")
        elif decision == "reject":
            reject(membership_request, request.user, request.POST.get("reason", ""))
            message = _("The request of %(name)s has been rejected; they have been told why by e-mail.")
        else:
            raise ValidationError(_("Choose to approve or to reject the request."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message % {"name": membership_request.full_name})
    return redirect("membership_requests")


urlpatterns = [
    path("", pending, name="membership_requests"),
    path("<int:pk>/decide/", decide, name="membership_request_decide"),
]
