"""A person's request to become a registered member, decided by programme staff (``accounts.members``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MembershipRequest(models.Model):
    """Made at sign-up; staff see it once the e-mail address is verified, and approve or reject it with a reason.
    The person is told in ``language``, the language they signed up in."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", pgettext_lazy("membership request", "Approved")  # a request: feminine in French
        REJECTED = "rejected", _("Rejected")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership_request", verbose_name=_("user")
    )
    full_name = models.CharField(_("full name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200)
    motivation = models.TextField(_("why you would like to join"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=16)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    rejection_reason = models.TextField(_("reason for the rejection"), blank=True)

    class Meta:
        ordering = ["requested_at"]
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")

    def __str__(self):
        return f"{self.full_name} <{self.user.email}>"
