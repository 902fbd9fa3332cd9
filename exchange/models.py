"""Exchange requests: a Member State institution asks for an exchange on a need, programme staff broker it.

A request moves through explicit states (``TRANSITIONS``); each change is an ``ExchangeRequestEvent`` (dated,
attributed) and is e-mailed to the requester in the request's language (``notifications``). The requester's
contact details are private: requests are not pages, not indexed, not in any feed, sitemap or API, and only
programme staff see them in the admin.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupPagePermission

from accounts.roles import PROGRAMME_STAFF
from handbook.models import CaseStudyIndexPage, CaseStudyPage, CentreOfExcellence, Country, Expert, Term, Vocabulary
from handbook.models.taxonomy import default_language_terms

from .notifications import notify_requester


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    TRIAGED = "triaged", _("Triaged")
    MATCHED = "matched", _("Matched")
    AGREED = "agreed", _("Agreed")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")


# The states in which programme staff still have something to do (the dashboard counts these).
OPEN_STATES = [State.SUBMITTED, State.TRIAGED, State.MATCHED, State.AGREED]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    label: Promise


# The only changes of state there are; the admin offers, and the server accepts, only these.
TRANSITIONS = {
    transition.name: transition
    for transition in [
        Transition("triage", frozenset({State.SUBMITTED}), State.TRIAGED, _("Triage")),
        Transition("match", frozenset({State.TRIAGED}), State.MATCHED, _("Mark as matched")),
        Transition("agree", frozenset({State.MATCHED}), State.AGREED, _("Mark as agreed")),
        Transition("complete", frozenset({State.AGREED}), State.COMPLETED, _("Mark as completed")),
        Transition("decline", frozenset(OPEN_STATES), State.DECLINED, _("Decline")),
    ]
}


class ExchangeRequest(models.Model):
    """A request for an exchange on a need, described with the handbook's taxonomy, and its brokering."""

    class Kind(models.TextChoices):
        STUDY_VISIT = "study-visit", _("Study visit")
        PEER_EXCHANGE = "peer-exchange", _("Peer exchange")
        EXPERT_DEPLOYMENT = "expert-deployment", _("Expert deployment")
        TRAINING = "training", _("Training")

    kind = models.CharField(_("kind of exchange"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("your need in one line"), max_length=150)
    need = models.TextField(
        _("the need"),
        max_length=3000,
        help_text=_("What you want to achieve, for whom, and what you have tried; at most 3,000 characters."),
    )
    pillar = models.ForeignKey(
        Term,
        verbose_name=_("pillar"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=default_language_terms(Vocabulary.PILLAR),
    )
    themes = models.ManyToManyField(
        Term,
        verbose_name=_("themes"),
        blank=True,
        related_name="+",
        limit_choices_to=default_language_terms(Vocabulary.THEME),
    )
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+")
    practice = models.ForeignKey(
        CaseStudyPage,
        verbose_name=_("practice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Private: seen by programme staff only, never shown, indexed or exported anywhere public.
    requester_name = models.CharField(_("your name"), max_length=200)
    institution = models.CharField(_("institution"), max_length=255)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    submitted_at = models.DateTimeField(_("submitted on"), default=timezone.now)

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SUBMITTED, db_index=True)
    state_changed_at = models.DateTimeField(_("in this state since"), default=timezone.now)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    matched_experts = models.ManyToManyField(
        Expert,
        verbose_name=_("matched experts"),
        blank=True,
        related_name="+",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    matched_centres = models.ManyToManyField(
        CentreOfExcellence,
        verbose_name=_("matched centres of excellence"),
        blank=True,
        related_name="+",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
    )
    matched_practices = models.ManyToManyField(
        CaseStudyPage, verbose_name=_("matched practices"), blank=True, related_name="+"
    )
    staff_notes = models.TextField(_("notes for programme staff"), blank=True)
    case_study = models.ForeignKey(
        CaseStudyPage,
        verbose_name=_("case study draft"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("exchange request")
        verbose_name_plural = _("exchange requests")
        ordering = ["-submitted_at"]

    def __str__(self):
        return self.title

    def allowed_transitions(self):
        return [transition for transition in TRANSITIONS.values() if self.state in transition.sources]

    def has_match(self):
        return self.matched_experts.exists() or self.matched_centres.exists() or self.matched_practices.exists()

    def record_submission(self):
        """The request's first event (by nobody: the public form), e-mailed as an acknowledgement."""
        event = self.events.create(from_state="", to_state=self.state)
        notify_requester(self, event)
        return event

    def apply(self, name, user, note=""):
        """Change state through the transition ``name`` on behalf of ``user``, record it and tell the requester;
        returns the event. Raises ``ValidationError`` (with a message for the user) for a change not allowed now."""
        transition = TRANSITIONS.get(name)
        note = (note or "").strip()
        if transition is None or self.state not in transition.sources:
            raise ValidationError(
                _("A request in the state “%(state)s” cannot change that way.") % {"state": self.get_state_display()}
            )
        if transition.target == State.DECLINED and not note:
            raise ValidationError(_("Give the reason for declining: the requester receives it."))
        if transition.target == State.MATCHED and not self.has_match():
            raise ValidationError(_("Choose at least one expert, centre or practice and save before matching."))
        with transaction.atomic():
            previous = self.state
            self.state = transition.target
            self.state_changed_at = timezone.now()
            if transition.target == State.DECLINED:
                self.decline_reason = note
            self.save(update_fields=["state", "state_changed_at", "decline_reason"])
            event = self.events.create(from_state=previous, to_state=self.state, by=user, note=note)
        notify_requester(self, event)
        return event


class ExchangeRequestEvent(models.Model):
    """One change in a request's life (its submission included): when, by whom, from which state to which."""

    request = models.ForeignKey(ExchangeRequest, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(_("previous state"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("new state"), max_length=20, choices=State.choices)
    at = models.DateTimeField(_("date"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("exchange request change")
        verbose_name_plural = _("exchange request changes")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.request_id}: {self.from_state} → {self.to_state}"


@receiver(post_save, sender=CaseStudyIndexPage)
def programme_staff_may_add_case_studies(sender, instance, created, raw=False, **kwargs):
    """Programme staff turn completed exchanges into case study drafts under a practice listing: each new listing
    (a new language, the demo's) gives them "add" there, as ``migrations/0003_…`` did for those that existed. Only
    "add": they edit their own drafts and submit them to the review workflow, and never publish."""
    if not created or raw:
        return
    group = Group.objects.filter(name=PROGRAMME_STAFF).first()
    if group is not None:
        add = Permission.objects.get(content_type__app_label="wagtailcore", codename="add_page")
        GroupPagePermission.objects.get_or_create(group=group, page=instance, permission=add)
