"""Drafts and moderation for snippets, like pages: the reference data translators and editors change (taxonomy
terms, experts, centres) is saved as a draft revision, goes through the same workflow as pages, and reaches readers
only when a moderator approves (publishes) it.

The database row of such a snippet holds what is live, except for a row that was never published (``live`` is
False): every public output reads ``published()`` rows only, so neither a draft nor a translation waiting for
moderation reaches a reader.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin


class PublishedQuerySet(models.QuerySet):
    def published(self):
        """The rows readers may see (the live ones)."""
        return self.filter(live=True)


class ModeratedSnippetMixin(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """Wagtail's draft state, revisions, locking and workflows, with the generic relations Wagtail asks each model
    to declare (so deleting a row deletes its revisions and workflow states: an expert's deleted profile must not
    survive in a revision)."""

    class Meta:
        abstract = True

    @staticmethod
    def revisions_relation(name):
        return GenericRelation("wagtailcore.Revision", related_query_name=name)

    @staticmethod
    def workflow_states_relation(name):
        return GenericRelation(
            "wagtailcore.WorkflowState",
            content_type_field="base_content_type",
            object_id_field="object_id",
            related_query_name=name,
            for_concrete_model=False,
        )

    @property
    def revisions(self):
        return self._revisions
