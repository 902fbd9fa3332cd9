"""Controlled vocabularies that describe a practice: pillars, regions, themes, target groups, and so on.

Terms are translatable data (one row per language, joined by ``translation_key``) with a stable ``code``, so that
filter URLs such as ``?pillar=II&region=africa`` mean the same thing in every language. Pages always link to the
default-language term; templates show the term in the reader's language (``localized_terms``).
"""

from babel import Locale as BabelLocale
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField

from core.languages import active_language, country_name
from core.moderation import ModeratedSnippetMixin, PublishedQuerySet
from core.prepared import PreparedQuery


class Vocabulary(models.TextChoices):
    PILLAR = "pillar", _("Pillar")
    REGION = "region", _("Region")
    THEME = "theme", _("Theme")
    TARGET_GROUP = "target_group", _("Target group")
    MODALITY = "modality", _("Modality")
    ACTOR_TYPE = "actor_type", _("Implementing actor")


def default_language_terms(vocabulary):
    """Choices for a page's term field: the default-language terms of one vocabulary."""
    return Q(vocabulary=vocabulary, locale__language_code=settings.LANGUAGE_CODE)


class Term(ModeratedSnippetMixin, TranslatableMixin, models.Model):
    """A term of one of the controlled vocabularies that editors tag practices with and readers filter on.

    Drafts and moderation like pages (``core.moderation``): readers only ever see published rows
    (``Term.objects.published()``)."""

    vocabulary = models.CharField(_("vocabulary"), max_length=20, choices=Vocabulary.choices)
    code = models.SlugField(
        _("code"),
        max_length=60,
        allow_unicode=False,
        help_text=_("Stable identifier used in URLs and filters; the same in every language."),
    )
    name = models.CharField(pgettext_lazy("taxonomy term", "name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    _revisions = ModeratedSnippetMixin.revisions_relation("term")
    workflow_states = ModeratedSnippetMixin.workflow_states_relation("term")

    objects = PublishedQuerySet.as_manager()

    override_translatable_fields = [SynchronizedField("code"), SynchronizedField("sort_order")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["vocabulary", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code", "locale"], name="unique_term_code_per_locale"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_vocabulary_display()})"


class Country(models.Model):
    """A country that practices are implemented in or partner with; its name comes from CLDR in each language."""

    code = models.CharField(
        _("ISO 3166-1 code"), max_length=2, unique=True, help_text=_("Two capital letters, e.g. MA for Morocco.")
    )
    region = models.ForeignKey(
        Term,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="countries",
        limit_choices_to=default_language_terms(Vocabulary.REGION),
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def clean(self):
        self.code = (self.code or "").upper()
        if self.code not in BabelLocale("en").territories:
            raise ValidationError({"code": _("%(code)s is not an ISO 3166-1 country code.") % {"code": self.code}})

    @property
    def name(self):
        """The country's name in the active language: the UN's name, CLDR's where they agree (core.languages)."""
        return country_name(self.code)


def term_lookup(request):
    """All taxonomy terms of the active language keyed by translation key, loaded once per request."""
    lookup = getattr(request, "_sse_terms", None)
    if lookup is None:
        language = active_language()
        lookup = {}
        rows = Term.objects.published().filter(locale__language_code__in={language, settings.LANGUAGE_CODE})
        rows = rows.select_related("locale")
        keys = {}
        for term in rows:
            keys[term.pk] = term.translation_key
            if term.translation_key not in lookup or term.locale.language_code == language:
                lookup[term.translation_key] = term
        request._sse_terms = lookup
        request._sse_term_keys = keys
    return lookup


def term_labels(request):
    """``(vocabulary, code, name, sort_order)`` of each term of ``term_lookup(request)``, for a page that names
    terms without showing them: read as columns unless the request has loaded the terms already (a ``Term`` and its
    locale built per row cost four times the query itself)."""
    lookup = getattr(request, "_sse_terms", None)
    if lookup is not None:
        return [(term.vocabulary, term.code, term.name, term.sort_order) for term in lookup.values()]
    language = active_language()
    labels = {}
    for row in _TERM_LABELS(languages=sorted({language, settings.LANGUAGE_CODE})):
        if row["translation_key"] not in labels or row["locale__language_code"] == language:
            labels[row["translation_key"]] = (row["vocabulary"], row["code"], row["name"], row["sort_order"])
    return list(labels.values())


# Read on every search (the facets' labels): compiled once per process (``core.prepared``).
_TERM_LABELS = PreparedQuery(
    lambda languages: (
        Term.objects.published()
        .filter(locale__language_code__in=languages)
        .values("translation_key", "locale__language_code", "vocabulary", "code", "name", "sort_order")
    )
)


def localized_terms(request, terms):
    """Each of ``terms`` (default-language rows) in the reader's language where translated, the published ones
    only (a page may link to a term still in draft): no query per term."""
    lookup = term_lookup(request)
    return [lookup[term.translation_key] for term in terms if term.translation_key in lookup]
