"""People and institutions a practice links to: experts acting as focal points, and centres of excellence.

An expert chooses who may see their profile (``Visibility``) and the programme records that choice as consent
(``ConsentRecord``: append-only, the newest record of an expert is in force). The level in force is copied onto every
language row of the expert, so that one filter, ``Expert.objects.visible_to(user)``, decides for every output
(directory, profile page, case studies, search index, sitemap). No consent, or consent withdrawn, is ``HIDDEN``: the
profile is then shown to nobody outside the admin, and a practice that links to it says "a focal point in <country>".

Like pages, the structural data (country, languages, expertise, visibility) is read from the default-language row,
to which pages link; the translations carry the role and biography in each language, and the name in the reader's
script where it is known (``name_latin`` keeps the Latin transliteration).
"""

import re

from babel import Locale as BabelLocale
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal, receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail.signals import published
from wagtail_localize.fields import SynchronizedField

from accounts.roles import MEMBERS, PROGRAMME_STAFF
from core.languages import collation_key, language_name
from core.moderation import ModeratedSnippetMixin, PublishedQuerySet

from .taxonomy import Country, Term, Vocabulary, default_language_terms

# Sent (inside the transaction) when an expert's profile becomes public or stops being public, with the practices
# that link to it (every language): outputs kept as files, such as the PDF editions (``books``), are renewed.
public_focal_point_changed = Signal()

# The version of the privacy notice an expert is shown when choosing their visibility; change it with the notice.
CONSENT_NOTICE_VERSION = "2026-12"


class Visibility(models.TextChoices):
    """Who may see an expert's profile, from the widest audience to none; the one definition of the access levels."""

    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Registered members only")
    STAFF = "staff", _("Programme staff only")
    HIDDEN = "hidden", _("Shown to nobody (no consent, or consent withdrawn)")

    @classmethod
    def levels_for(cls, user):
        """The visibility levels a reader may see: anonymous readers the public profiles, registered members also
        the members' ones, programme staff (and superusers) every consented profile."""
        if user is None or not user.is_authenticated or not user.is_active:
            return {cls.PUBLIC}
        if user.is_superuser:
            return {cls.PUBLIC, cls.MEMBERS, cls.STAFF}
        groups = set(user.groups.values_list("name", flat=True))
        if PROGRAMME_STAFF in groups:
            return {cls.PUBLIC, cls.MEMBERS, cls.STAFF}
        if MEMBERS in groups:
            return {cls.PUBLIC, cls.MEMBERS}
        return {cls.PUBLIC}


def validate_language_codes(value):
    unknown = [code for code in value.split() if code not in SPOKEN_LANGUAGE_CODES]
    if unknown:
        raise ValidationError(_("Unknown language codes: %(codes)s"), params={"codes": " ".join(unknown)})


def _spoken_language_codes():
    """Two-letter ISO 639-1 codes that CLDR names (so every language is shown in the reader's language)."""
    english = BabelLocale("en")
    return frozenset(code for code in english.languages if re.fullmatch(r"[a-z]{2}", code))


SPOKEN_LANGUAGE_CODES = _spoken_language_codes()


class ExpertQuerySet(PublishedQuerySet):
    def visible_to(self, user):
        """The experts ``user`` may see on the public site: every output that shows experts goes through here.
        Published rows only: a draft (a new profile, or a translation waiting for moderation) is nobody's to read."""
        return self.at_levels(Visibility.levels_for(user))

    def at_levels(self, levels):
        """The published experts of the visibility ``levels`` (``Visibility.levels_for``'s answer for a reader):
        ``visible_to`` itself, for a query prepared once with the levels as values (``core.prepared``)."""
        return self.published().filter(visibility__in=levels)

    def public(self):
        """What anyone may see: for outputs shared by every reader (the search index, the sitemap, feeds)."""
        return self.visible_to(None)


class Expert(ModeratedSnippetMixin, TranslatableMixin, index.Indexed, models.Model):
    """An expert who serves as a focal point for practices: readers contact them through the programme. Drafts and
    moderation like pages (``core.moderation``)."""

    # "name" of a person and of an institution differ in Russian (имя/название) and Chinese (姓名/名称).
    name = models.CharField(
        pgettext_lazy("person", "name"),
        max_length=200,
        help_text=_("As the expert writes it; a translation may give it in the reader's script."),
    )
    name_latin = models.CharField(
        _("name in Latin letters"),
        max_length=200,
        blank=True,
        help_text=_("The transliteration, when the name above is written in another script."),
    )
    role = models.CharField(_("role"), max_length=255, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    country = models.ForeignKey(Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.SET_NULL)
    languages = models.CharField(
        _("languages spoken"),
        max_length=100,
        blank=True,
        validators=[validate_language_codes],
        help_text=_("ISO 639-1 codes separated by spaces, for example: ar fr en"),
    )
    pillars = models.ManyToManyField(
        Term,
        verbose_name=_("pillars"),
        blank=True,
        related_name="pillar_experts",
        limit_choices_to=default_language_terms(Vocabulary.PILLAR),
    )
    themes = models.ManyToManyField(
        Term,
        verbose_name=_("themes"),
        blank=True,
        related_name="theme_experts",
        limit_choices_to=default_language_terms(Vocabulary.THEME),
    )
    target_groups = models.ManyToManyField(
        Term,
        verbose_name=_("target groups"),
        blank=True,
        related_name="target_group_experts",
        limit_choices_to=default_language_terms(Vocabulary.TARGET_GROUP),
    )
    bio = models.TextField(_("biography"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True, help_text=_("Never published: for the programme."))
    # Set only by ``record_consent``: the admin's form records a decision instead of editing this field.
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.HIDDEN, editable=False
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profiles",
        help_text=_("The expert's own account, if they have one: it lets them see, correct, export and delete it."),
    )

    _revisions = ModeratedSnippetMixin.revisions_relation("expert")
    workflow_states = ModeratedSnippetMixin.workflow_states_relation("expert")

    objects = ExpertQuerySet.as_manager()

    # The same person's in every language: a translation cannot override them.
    PERSON_FIELDS = ["name_latin", "languages", "country", "email"]
    override_translatable_fields = [
        SynchronizedField("name"),
        *[SynchronizedField(name, overridable=False) for name in PERSON_FIELDS],
    ]
    search_fields = [index.SearchField("name"), index.SearchField("bio"), index.FilterField("locale_id")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("expert (focal point)")
        verbose_name_plural = _("experts (focal points)")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def with_content_json(self, content):
        """A revision's content (to publish, compare or revert to) with the visibility in force now: consent is
        recorded (``record_consent``), never restored from an earlier revision."""
        obj = super().with_content_json(content)
        obj.visibility = self.visibility
        return obj

    @property
    def language_names(self):
        return sorted((language_name(code) for code in self.languages.split()), key=collation_key)

    @property
    def transliteration(self):
        """The Latin name when it differs from the name shown (a name written in another script)."""
        return self.name_latin if self.name_latin and self.name_latin != self.name else ""

    def record_consent(self, visibility, recorded_by, notice_version=CONSENT_NOTICE_VERSION):
        """Record the expert's choice and put it in force on every language row at once, then re-index the
        practices that name the expert (their index text holds the names of public experts only)."""
        was_public = Expert.objects.filter(translation_key=self.translation_key, visibility=Visibility.PUBLIC).exists()
        with transaction.atomic():
            record = ConsentRecord.objects.create(
                expert_key=self.translation_key,
                visibility=visibility,
                notice_version=notice_version,
                recorded_by=recorded_by if recorded_by and recorded_by.is_authenticated else None,
            )
            Expert.objects.filter(translation_key=self.translation_key).update(visibility=visibility)
            self.visibility = visibility
            if was_public != (visibility == Visibility.PUBLIC):
                public_focal_point_changed.send(sender=Expert, expert=self, practices=self.linked_practices())
            transaction.on_commit(self.reindex_practices)
        return record

    def withdraw_consent(self, recorded_by, notice_version=CONSENT_NOTICE_VERSION):
        return self.record_consent(Visibility.HIDDEN, recorded_by, notice_version)

    def linked_practices(self):
        """Every language version of the practices that link to this expert."""
        pages = []
        for row in Expert.objects.filter(translation_key=self.translation_key):
            pages.extend(row.practices.all())
        return pages

    def reindex_practices(self):
        for page in self.linked_practices():
            index.insert_or_update_object(page)

    @property
    def consent_history(self):
        return ConsentRecord.objects.filter(expert_key=self.translation_key)


@receiver(published, sender=Expert)
def share_person_fields(sender, instance, **kwargs):
    """A published correction of the source profile (the expert's own, approved by a moderator) reaches every
    language row at once; wagtail-localize would otherwise wait for a translator's sync to copy these fields, and
    readers of other languages would meet an out-of-date country or e-mail meanwhile. Only the source row speaks for
    the person: publishing a translation that has not been synced yet must not revert the source."""
    if instance.locale.language_code != settings.LANGUAGE_CODE:
        return
    shared = {name: getattr(instance, name) for name in Expert.PERSON_FIELDS}
    Expert.objects.filter(translation_key=instance.translation_key).exclude(pk=instance.pk).update(**shared)


class ConsentRecord(models.Model):
    """One decision of an expert about who may see their profile, with the notice they were shown and who recorded
    it. Append-only: a record is never changed or deleted, a new decision is a new record (the newest is in force);
    it keeps no personal data of the expert beyond the link, so it may outlive a deleted profile."""

    expert_key = models.UUIDField(_("expert"), db_index=True, editable=False)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    notice_version = models.CharField(_("version of the notice shown"), max_length=20)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.get_visibility_display()} ({self.notice_version}, {self.recorded_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Consent records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Consent records are append-only.")


class CentreOfExcellence(ModeratedSnippetMixin, TranslatableMixin, index.Indexed, models.Model):
    """An institution recognised for its CT/PVE expertise, which hosts exchanges and training. Drafts and
    moderation like pages (``core.moderation``): readers see published rows only."""

    name = models.CharField(pgettext_lazy("institution", "name"), max_length=255)
    country = models.ForeignKey(Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.SET_NULL)
    city = models.CharField(_("city"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    pillars = models.ManyToManyField(
        Term,
        verbose_name=_("pillars"),
        blank=True,
        related_name="pillar_centres",
        limit_choices_to=default_language_terms(Vocabulary.PILLAR),
    )
    themes = models.ManyToManyField(
        Term,
        verbose_name=_("themes"),
        blank=True,
        related_name="theme_centres",
        limit_choices_to=default_language_terms(Vocabulary.THEME),
    )
    experts = models.ManyToManyField(
        Expert,
        verbose_name=_("experts"),
        blank=True,
        related_name="centres",
        limit_choices_to={"locale__language_code": settings.LANGUAGE_CODE},
        help_text=_("Shown only to readers allowed to see each expert's profile."),
    )
    website = models.URLField(_("website"), blank=True)
    contact_url = models.URLField(
        _("contact page"), blank=True, help_text=_("The institution's public contact route (a page or a form).")
    )
    contact_email = models.EmailField(_("institutional contact e-mail"), blank=True)

    _revisions = ModeratedSnippetMixin.revisions_relation("centreofexcellence")
    workflow_states = ModeratedSnippetMixin.workflow_states_relation("centreofexcellence")

    objects = PublishedQuerySet.as_manager()

    search_fields = [index.SearchField("name"), index.SearchField("description"), index.FilterField("locale_id")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("centre of excellence")
        verbose_name_plural = _("centres of excellence")
        ordering = ["name"]

    def __str__(self):
        return self.name
