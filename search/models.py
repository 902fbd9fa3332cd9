"""Index updates the search engine missed while it was unreachable, kept until they are replayed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingIndexUpdate(models.Model):
    """One object whose index entry in one engine backend is stale because the engine could not be reached.

    Written instead of losing the update; replayed by ``replay_search_updates``, by the next successful update of
    the same backend, and made moot by a full ``update_index``.
    """

    class Action(models.TextChoices):
        ADD = "add", _("add or update")
        DELETE = "delete", _("delete")

    backend_name = models.CharField(_("search backend"), max_length=50)
    app_label = models.CharField(max_length=100)
    model_name = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=10, choices=Action.choices)
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pending search index update")
        verbose_name_plural = _("pending search index updates")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["backend_name", "app_label", "model_name", "object_id"], name="unique_pending_index_update"
            )
        ]

    def __str__(self):
        return f"{self.action} {self.app_label}.{self.model_name} {self.object_id} in {self.backend_name}"
