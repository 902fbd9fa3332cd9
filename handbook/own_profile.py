"""My profile: an expert whose profile is linked to their user account sees, corrects, exports (JSON) and deletes
their own data, and chooses who may see it (each choice recorded as consent, by themselves).

Corrections go through moderation like every public text: they are saved as a draft revision and submitted to the
experts' workflow, and readers see the published profile until a moderator approves them (nobody publishes around the
workflow; a compromised account cannot put words in an expert's mouth). Who may see the profile is not content but
consent: it takes effect at once, on every language row.

Only the signed-in owner reaches it (``Expert.account``); anyone else gets the sign-in page or nothing to show.
Deleting removes every language row of the profile, the translation sources wagtail-localize kept of it and the
strings only they used, and the names earlier audit-log entries carried; what remains is an audit-log entry and a
last consent record ("withdrawn") that name the profile by its key only, never by its content.
"""

import json
import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, WorkflowState
from wagtail_localize.models import String, StringSegment, TranslatableObject

from .models import Expert
from .models.people import CONSENT_NOTICE_VERSION, Visibility

logger = logging.getLogger(__name__)
# Experts sign in on the public site, as members do (settings.LOGIN_URL, accounts/members.py).
signed_in = login_required
EXPORTED_FIELDS = ["name", "name_latin", "role", "organisation", "languages", "bio", "email"]


class OwnProfileForm(forms.ModelForm):
    visibility_choice = forms.ChoiceField(
        label=gettext_lazy("Who may see your profile"),
        choices=Visibility.choices,
        help_text=gettext_lazy("The last choice hides your profile everywhere at once."),
    )

    class Meta:
        model = Expert
        fields = ["name", "name_latin", "role", "organisation", "country", "languages", "bio", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility_choice"].initial = self.instance.visibility


def own_profile(user):
    return Expert.objects.filter(account=user, locale__language_code=settings.LANGUAGE_CODE).first()


def editable_profile(expert):
    """What the owner edits: their corrections still waiting for review when there are some, so nothing they wrote
    is lost; the published profile otherwise."""
    if expert.has_unpublished_changes and expert.latest_revision_id:
        return expert.get_latest_revision_as_object()
    return expert


def submit_for_review(expert, user):
    """Submit the newest revision to the experts' workflow, as the admin's "Submit for moderation" does: a review
    sent back for changes resumes, and a review in progress restarts so the moderators approve what the expert wrote
    last (approving an older revision would publish text the expert has since corrected)."""
    state = expert.current_workflow_state
    if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return
    if state:
        state.cancel(user=user)
    workflow = expert.get_workflow()
    if workflow:
        workflow.start(expert, user)


def profile_data(expert):
    """Everything the site holds of the expert: each language row, the expertise, the practices and the consent
    history."""
    rows = Expert.objects.filter(translation_key=expert.translation_key).select_related("locale", "country")
    return {
        "key": str(expert.translation_key),
        "country": expert.country.code if expert.country else None,
        "visibility": expert.visibility,
        "expertise": {
            "pillars": [term.code for term in expert.pillars.all()],
            "themes": [term.code for term in expert.themes.all()],
            "target_groups": [term.code for term in expert.target_groups.all()],
        },
        "translations": {
            row.locale.language_code: {name: getattr(row, name) for name in EXPORTED_FIELDS} for row in rows
        },
        "practices": sorted({page.url for page in expert.linked_practices() if page.live}),
        "consent_history": [
            {
                "visibility": record.visibility,
                "notice_version": record.notice_version,
                "recorded_at": record.recorded_at.isoformat(),
                "recorded_by_self": record.recorded_by_id == expert.account_id,
            }
            for record in expert.consent_history
        ],
    }


@never_cache
@signed_in
@require_http_methods(["GET", "POST"])
def my_profile(request):
    expert = own_profile(request.user)
    if expert is None:
        return render(request, "handbook/directory/my_profile.html", {"expert": None}, status=404)
    form = OwnProfileForm(request.POST or None, instance=editable_profile(expert))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            corrected = set(form.changed_data) - {"visibility_choice"}
            if corrected:
                # A revision only: the live row (what readers see) stays as it is until a moderator publishes it.
                form.save(commit=False).save_revision(user=request.user, log_action=True)
                submit_for_review(expert, request.user)
                messages.success(request, gettext("Your corrections were sent to the programme for review. Thank you."))
            chosen = form.cleaned_data["visibility_choice"]
            if chosen != expert.visibility:
                expert.record_consent(chosen, request.user, CONSENT_NOTICE_VERSION)
                messages.success(request, gettext("Your choice of who may see your profile is in force now."))
        return redirect("my_profile")
    context = {
        "expert": expert,
        "form": form,
        "pending": expert.has_unpublished_changes,
        "history": expert.consent_history,
        "directory": "experts",
    }
    return render(request, "handbook/directory/my_profile.html", context)


@never_cache
@signed_in
def my_profile_export(request):
    expert = own_profile(request.user)
    if expert is None:
        return render(request, "handbook/directory/my_profile.html", {"expert": None}, status=404)
    response = HttpResponse(
        json.dumps(profile_data(expert), ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-expert-profile.json"'
    return response


@never_cache
@signed_in
@require_POST
def my_profile_delete(request):
    expert = own_profile(request.user)
    if expert is None:
        return render(request, "handbook/directory/my_profile.html", {"expert": None}, status=404)
    if request.POST.get("confirm") != "delete":
        return redirect("my_profile")
    key = expert.translation_key
    label = f"Expert profile {key}"
    with transaction.atomic():
        expert.withdraw_consent(request.user)
        rows = list(Expert.objects.filter(translation_key=key))
        # Earlier entries of the audit log carried the expert's name: they keep the action and date only.
        ModelLogEntry.objects.filter(
            content_type__app_label="handbook",
            content_type__model="expert",
            object_id__in=[str(row.pk) for row in rows],
        ).update(label=label, data={})
        strings = list(StringSegment.objects.filter(source__object_id=key).values_list("string_id", flat=True))
        TranslatableObject.objects.filter(translation_key=key).delete()
        String.objects.filter(pk__in=strings, segments__isnull=True).delete()
        log(expert, "wagtail.delete", user=request.user, title=label, deleted=True)
        for row in rows:
            row.delete()
    logger.info("Expert profile %s deleted by its owner", key)
    return render(request, "handbook/directory/my_profile.html", {"expert": None, "deleted": True})


urlpatterns = [
    path("my-profile/", my_profile, name="my_profile"),
    path("my-profile/export/", my_profile_export, name="my_profile_export"),
    path("my-profile/delete/", my_profile_delete, name="my_profile_delete"),
]
