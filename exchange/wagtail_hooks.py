"""Exchange requests in the admin: the brokering views (programme staff) and the dashboard panel."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import ExchangeRequestViewSet, OpenRequestsPanel, permission_policy
from .models import ExchangeRequest

register_permission_policy(ExchangeRequest, permission_policy)


@hooks.register("register_admin_viewset")
def register_exchange_requests():
    return ExchangeRequestViewSet()


@hooks.register("construct_homepage_panels")
def add_open_requests_panel(request, panels):
    if permission_policy.user_has_permission(request.user, "view"):
        panels.append(OpenRequestsPanel())
