"""The page editor's forms for the handbook's pages: link fields editors can read in their own language.

Pages link to the default-language row of a translatable object (a taxonomy term, an expert, a centre, a
chapter); wagtail-localize copies the links into translations and the templates show each linked row in the
reader's language (``core.languages``). The editor therefore offers each object once (its default-language
row), labelled with its translation in the page's own language, so a term is never listed once per language.
Countries are labelled with their CLDR name in the editor's language and sorted as that language sorts.
Multiple links are checkboxes; each label is isolated (``<bdi>``) so that an English label in the Arabic admin,
or an Arabic one in the English admin, keeps its own direction.
"""

from collections import defaultdict

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.models import Locale, Page, TranslatableMixin

from core.languages import collation_key
from translations.languages import is_language_restricted

from .people import CONSENT_NOTICE_VERSION, Visibility
from .review import SAFEGUARDS
from .taxonomy import Country, Term

# Unicode's first-strong isolate: a <select>'s options cannot hold <bdi>.
FSI, PDI = "\u2068", "\u2069"


class IsolatedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes whose labels are bidi-isolated, so mixed-direction labels read right."""

    option_template_name = "handbook/widgets/isolated_checkbox_option.html"


def translations_in(rows, locale):
    """A lookup of each row's translation in ``locale`` (the row itself where it has none yet), read in one query
    per model."""
    keys = defaultdict(set)
    for row in rows:
        keys[type(row)].add(row.translation_key)
    found = {
        (model, row.translation_key): row
        for model, model_keys in keys.items()
        for row in model.objects.filter(translation_key__in=model_keys, locale=locale)
    }
    return lambda row: found.get((type(row), row.translation_key), row)


def country_labels(field):
    """``field``'s countries, each with its CLDR name in the editor's language, in that language's order."""
    editor_language = translation.get_language()
    labelled = [(row, row.name) for row in field.queryset]
    labelled.sort(key=lambda pair: collation_key(pair[1], editor_language))
    return labelled


def labelled_translatable(field, rows, translated, page_locale):
    """``field``'s default-language ``rows``, each labelled with its translation (``translated``), in the order
    readers of the page's language expect."""
    model = field.queryset.model
    shown = [translated(row) for row in rows]
    labelled = [(row, getattr(label, "title", None) or label.name) for row, label in zip(rows, shown, strict=True)]
    language = page_locale.language_code
    if model is Term:
        labelled.sort(key=lambda pair: (pair[0].sort_order, collation_key(pair[1], language)))
    elif issubclass(model, Page):
        labelled.sort(key=lambda pair: pair[0].path)  # chapters in the handbook's order
    else:
        labelled.sort(key=lambda pair: collation_key(pair[1], language))
    if not isinstance(field, forms.ModelMultipleChoiceField):
        # A <select>'s options cannot hold <bdi>: Unicode isolates instead.
        labelled = [(row, f"{FSI}{label}{PDI}") for row, label in labelled]
    return labelled


def localize_link_fields(form, locale):
    """Offer each linked object of ``form`` once, labelled in ``locale``'s language, as isolated checkboxes.

    Each field's rows are one query; their translations one query per model for all the form's fields (a case
    study links five vocabularies of terms), and the countries are read and sorted once for both country fields."""
    fields = [field for field in form.fields.values() if isinstance(field, forms.ModelChoiceField)]
    translatable = [
        field
        for field in fields
        if field.queryset.model is not Country and issubclass(field.queryset.model, TranslatableMixin)
    ]
    rows = {}
    for field in translatable:
        field.queryset = field.queryset.filter(locale__language_code=settings.LANGUAGE_CODE)
        rows[field] = list(field.queryset)
    translated = translations_in([row for field_rows in rows.values() for row in field_rows], locale)
    countries = {}
    for field in fields:
        if field.queryset.model is Country:
            query = str(field.queryset.query)
            if query not in countries:
                countries[query] = country_labels(field)
            labelled = countries[query]
        elif field in rows:
            labelled = labelled_translatable(field, rows[field], translated, locale)
        else:
            continue
        choices = [(row.pk, label) for row, label in labelled]
        if field.empty_label is not None:
            choices.insert(0, ("", field.empty_label))
        if isinstance(field, forms.ModelMultipleChoiceField):
            field.widget = IsolatedCheckboxSelectMultiple()
        # The queryset still validates what is posted; only the offered list and its labels change.
        field.choices = choices


class LocalizedLinksPageForm(WagtailAdminPageForm):
    """The page editor's form for pages that link to taxonomy terms, countries, experts, centres or chapters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        localize_link_fields(self, self.instance.locale if self.instance.locale_id else Locale.get_default())


class ReferenceDataForm(WagtailAdminModelForm):
    """The admin's form for experts and centres: their links to terms and experts offered as the page editor
    offers them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        localize_link_fields(self, self.instance.locale if self.instance.locale_id else Locale.get_default())


class ExpertForm(ReferenceDataForm):
    """The expert's profile, and their decision on who may see it: a change of visibility is recorded as consent
    (date, notice version, who recorded it), never edited in place."""

    consent_visibility = forms.ChoiceField(
        label=_("Visibility chosen by the expert"),
        choices=Visibility.choices,
        help_text=_("Record only what the expert chose after reading the notice; choose the last option to withdraw."),
    )
    consent_notice_version = forms.CharField(
        label=_("Version of the notice shown"), max_length=20, initial=CONSENT_NOTICE_VERSION
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_visibility"].initial = self.instance.visibility
        if self.for_user is not None and is_language_restricted(self.for_user):
            # Translators translate the profile; the expert's decision is recorded by the programme.
            for name in ("consent_visibility", "consent_notice_version"):
                self.fields[name].disabled = True

    def save(self, commit=True):
        # The decision takes effect at once, also when the profile itself is saved as a draft for moderation
        # (``commit=False``): consent is the expert's, not content a moderator approves.
        instance = super().save(commit=commit)
        chosen = self.cleaned_data["consent_visibility"]
        if chosen != instance.visibility:
            instance.record_consent(chosen, self.for_user, self.cleaned_data["consent_notice_version"])
        return instance


class CaseStudyPageForm(LocalizedLinksPageForm):
    """Each of the four safeguards must say something: an editor that was left empty still posts an empty paragraph,
    which a plain required field accepts."""

    def clean(self):
        cleaned_data = super().clean()
        for safeguard in SAFEGUARDS:
            value = cleaned_data.get(safeguard.field_name)
            if value is not None and not strip_tags(value).strip():
                self.add_error(
                    safeguard.field_name,
                    forms.ValidationError(
                        self.fields[safeguard.field_name].error_messages["required"], code="required"
                    ),
                )
        return cleaned_data
