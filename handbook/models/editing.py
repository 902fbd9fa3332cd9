"""The page editor's forms for the handbook's pages: link fields editors can read in their own language.

Pages link to the default-language row of a translatable object (a taxonomy term, an expert, a centre, a
chapter); wagtail-localize copies the links into translations and the templates show each linked row in the
reader's language (``core.languages``). The editor therefore offers each object once (its default-language
row), labelled with its translation in the page's own language, so a term is never listed once per language.
Countries are labelled with their CLDR name in the editor's language and sorted as that language sorts.
Multiple links are checkboxes; each label is isolated (``<bdi>``) so that an English label in the Arabic admin,
or an Arabic one in the English admin, keeps its own direction.
"""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Locale, Page, TranslatableMixin

from core.languages import collation_key

from .review import SAFEGUARDS
from .taxonomy import Country, Term

# Unicode's first-strong isolate: a <select>'s options cannot hold <bdi>.
FSI, PDI = "\u2068", "\u2069"


class IsolatedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes whose labels are bidi-isolated, so mixed-direction labels read right."""

    option_template_name = "handbook/widgets/isolated_checkbox_option.html"


def translations_in(rows, locale):
    """Each row's translation in ``locale`` (the row itself where it has none yet), in one query."""
    if not rows:
        return []
    found = {
        row.translation_key: row
        for row in type(rows[0]).objects.filter(
            translation_key__in=[row.translation_key for row in rows], locale=locale
        )
    }
    return [found.get(row.translation_key, row) for row in rows]


def localized_choices(field, page_locale):
    """``field``'s objects, each once, as (pk, label) in the order readers of the label's language expect, or None
    for a field of another model."""
    model = field.queryset.model
    if model is Country:
        editor_language = translation.get_language()
        labelled = [(row, row.name) for row in field.queryset]  # CLDR name in the editor's language
        labelled.sort(key=lambda pair: collation_key(pair[1], editor_language))
    elif issubclass(model, TranslatableMixin):
        field.queryset = field.queryset.filter(locale__language_code=settings.LANGUAGE_CODE)
        rows = list(field.queryset)
        shown = translations_in(rows, page_locale)
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
    else:
        return None
    choices = [(row.pk, label) for row, label in labelled]
    if field.empty_label is not None:
        choices.insert(0, ("", field.empty_label))
    return choices


class LocalizedLinksPageForm(WagtailAdminPageForm):
    """The page editor's form for pages that link to taxonomy terms, countries, experts, centres or chapters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page_locale = self.instance.locale if self.instance.locale_id else Locale.get_default()
        for field in self.fields.values():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            choices = localized_choices(field, page_locale)
            if choices is None:
                continue
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.widget = IsolatedCheckboxSelectMultiple()
            # The queryset still validates what is posted; only the offered list and its labels change.
            field.choices = choices


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
