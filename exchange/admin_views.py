"""Brokering exchange requests in the admin (programme staff only): the list, the request with its history and the
changes of state it allows now, the case study draft made from a completed exchange, and the dashboard panel."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .conversion import case_study_listing, create_case_study_draft
from .models import OPEN_STATES, ExchangeRequest, State


class ExchangeRequestPermissionPolicy(ModelPermissionPolicy):
    """Requests come from the public form only: nobody adds one in the admin, superusers included."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [action for action in actions if action != "add"])


permission_policy = ExchangeRequestPermissionPolicy(ExchangeRequest)
VIEWSET_NAME = "exchange_requests"


def may_convert(user, exchange_request):
    """A case study draft is made by someone who may create practices, from a completed exchange, once."""
    if exchange_request.state != State.COMPLETED or exchange_request.case_study_id:
        return False
    listing = case_study_listing(exchange_request.language)
    return listing is not None and listing.permissions_for_user(user).can_add_subpage()


class BrokerEditView(EditView):
    """The request as the requester sent it, its history, the changes of state allowed now (each a small form
    outside the edit form), and the matches and notes programme staff edit."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.object
        context.update(
            exchange_request=request,
            transitions=request.allowed_transitions(),
            events=request.events.select_related("by"),
            transition_url=reverse(f"{VIEWSET_NAME}:transition", args=[request.pk]),
            convert_url=reverse(f"{VIEWSET_NAME}:convert", args=[request.pk]),
            may_convert=may_convert(self.request.user, request),
        )
        return context


class ExchangeRequestViewSet(ModelViewSet):
    model = ExchangeRequest
    name = VIEWSET_NAME
    icon = "mail"
    menu_label = gettext_lazy("Exchange requests")
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "exchange-requests"
    copy_view_enabled = False
    list_display = ["title", "kind", "state", "country", "submitted_at", "state_changed_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "need", "institution"]
    form_fields = ["matched_experts", "matched_centres", "matched_practices", "staff_notes"]
    edit_view_class = BrokerEditView
    edit_template_name = "exchange/admin/edit.html"

    @property
    def permission_policy(self):
        return permission_policy

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("transition/<int:pk>/", self.transition_view, name="transition"),
            path("convert/<int:pk>/", self.convert_view, name="convert"),
        ]

    @property
    def transition_view(self):
        @require_POST
        def view(request, pk):
            if not permission_policy.user_has_permission(request.user, "change"):
                raise PermissionDenied
            exchange_request = get_object_or_404(ExchangeRequest, pk=pk)
            try:
                exchange_request.apply(
                    request.POST.get("transition", ""), request.user, request.POST.get("note", "")[:2000]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("The request is now “%(state)s”; the requester has been told by e-mail.")
                    % {"state": exchange_request.get_state_display()},
                )
            return redirect(self.get_url_name("edit"), pk)

        return view

    @property
    def convert_view(self):
        @require_POST
        def view(request, pk):
            exchange_request = get_object_or_404(ExchangeRequest, pk=pk)
            if not permission_policy.user_has_permission(request.user, "change") or not may_convert(
                request.user, exchange_request
            ):
                raise PermissionDenied
            page = create_case_study_draft(exchange_request, request.user)
            messages.success(
                request,
                _("A case study draft was made from the request. Complete it, then submit it for review."),
            )
            return redirect("wagtailadmin_pages:edit", page.pk)

        return view


class OpenRequestsPanel(Component):
    """Open exchange requests by state: how many, and how long the oldest has waited in that state."""

    name = "exchange_open_requests"
    order = 90
    template_name = "exchange/admin/dashboard_panel.html"

    def get_context_data(self, parent_context):
        now = timezone.now()
        counts = {
            row["state"]: row
            for row in ExchangeRequest.objects.filter(state__in=OPEN_STATES)
            .values("state")
            .annotate(count=Count("pk"), oldest=Min("state_changed_at"))
        }
        rows = []
        for state in OPEN_STATES:
            row = counts.get(state, {"count": 0, "oldest": None})
            rows.append(
                {
                    "state": state,
                    "label": State(state).label,
                    "count": row["count"],
                    "days": (now - row["oldest"]).days if row["oldest"] else None,
                }
            )
        return {"rows": rows, "total": sum(row["count"] for row in rows), "request": parent_context["request"]}
