"""Search's own data: index updates the engine missed while it was unreachable (kept until they are replayed), the
editors' search glossary, and the anonymous daily query counts behind the query report."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin

MAX_TERM_LENGTH = 120
MAX_SYNONYMS = 30


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


class GlossaryEntry(TranslatableMixin, models.Model):
    """A term of the search glossary in one language, with the other words readers type for it.

    Editors keep it in the admin (Snippets → Search glossary), one entry per language. A search for any of the
    entry's words also finds the pages that use the others: the query is expanded when it is run
    (``search.glossary``), on the engine and on the database backend alike, so a change counts from the next search,
    with no reindexing and no downtime.
    """

    term = models.CharField(_("term"), max_length=MAX_TERM_LENGTH)
    synonyms = models.TextField(
        _("synonyms"),
        blank=True,
        help_text=_("One per line: abbreviations, other spellings and other words readers use for the term."),
    )

    panels = [FieldPanel("term"), FieldPanel("synonyms")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("glossary term")
        verbose_name_plural = _("search glossary")
        ordering = ["term", "pk"]

    def __str__(self):
        return self.term

    @property
    def words(self):
        """The term and its synonyms (each one once, in the editor's order)."""
        lines = [" ".join(line.split()) for line in [self.term, *self.synonyms.splitlines()]]
        return list(dict.fromkeys(line for line in lines if line))

    def clean(self):
        super().clean()
        lines = [line.strip() for line in self.synonyms.splitlines() if line.strip()]
        if len(lines) > MAX_SYNONYMS:
            raise ValidationError(
                {
                    "synonyms": ngettext(
                        "At most %(count)d synonym per term.", "At most %(count)d synonyms per term.", MAX_SYNONYMS
                    )
                    % {"count": MAX_SYNONYMS}
                }
            )
        if any(len(line) > MAX_TERM_LENGTH for line in lines):
            raise ValidationError(
                {
                    "synonyms": ngettext(
                        "Each synonym fits in %(count)d character.",
                        "Each synonym fits in %(count)d characters.",
                        MAX_TERM_LENGTH,
                    )
                    % {"count": MAX_TERM_LENGTH}
                }
            )


class SearchQueryCount(models.Model):
    """How often one search was made on one day in one language, and how often it found nothing.

    The editors' query report (admin → Reports → Search queries) reads it. Nothing about the reader is kept: no
    address, no account, no time of day; the text is normalised (case, spaces, diacritics) with e-mail addresses and
    long numbers masked, and days older than ``SEARCH_QUERY_RETENTION_DAYS`` are deleted.
    """

    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=20)
    query = models.CharField(_("query"), max_length=200)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    zero_results = models.PositiveIntegerField(_("searches without results"), default=0)

    class Meta:
        verbose_name = _("search query count")
        verbose_name_plural = _("search query counts")
        constraints = [models.UniqueConstraint(fields=["day", "language", "query"], name="unique_search_query_count")]
        indexes = [models.Index(fields=["language", "day"])]

    def __str__(self):
        return f"{self.day} {self.language} {self.query}"
