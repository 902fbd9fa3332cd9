"""Admin access checks that Wagtail leaves to the caller, for every page type."""

from django.core.exceptions import PermissionDenied
from wagtail import hooks


@hooks.register("before_move_page")
def refuse_move_confirmation_without_move_permission(request, page, destination):
    """Wagtail's move confirmation page checks permissions only when the move is posted; its GET would show any
    user with admin access the page and its translations. Refuse it up front, like the destination chooser does."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied
