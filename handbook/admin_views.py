"""Admin views the safeguards review needs beyond Wagtail's defaults."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.pages.revisions import RevisionsCompareView

from accounts.refusals import render_refusal

COMPARE_REFUSED = _(
    "You can compare the versions of a page while you may edit it, or while it is waiting for your review."
)


class ReviewerRevisionsCompareView(RevisionsCompareView):
    """ "Compare with previous version" for reviewers: Wagtail's view first asks for a page permission of one's own,
    which reviewers do not have, so a re-review could not see what changed. The page's own check stays: whoever may
    edit the page (a reviewer may while it awaits their review, Wagtail's ``user_can_access_editor``) may compare."""

    def setup(self, request, *args, **kwargs):
        try:
            super().setup(request, *args, **kwargs)
        except PermissionDenied:
            self.object = None

    def dispatch(self, request, *args, **kwargs):
        if self.object is None:
            return render_refusal(request, COMPARE_REFUSED)
        # Skips RevisionsCompareView's own dispatch, whose only addition is the "any page permission" gate.
        return super(RevisionsCompareView, self).dispatch(request, *args, **kwargs)
