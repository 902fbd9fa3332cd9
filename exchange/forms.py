"""The public exchange request form: the need in the handbook's taxonomy, the requester's private contact details,
and two checks that keep bots out without a third-party service (a honeypot field and a signed fill-time token)."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.languages import collation_key
from handbook.models import CaseStudyPage, Country
from handbook.models.taxonomy import term_lookup

from .models import ExchangeRequest

TOKEN_SALT = "exchange.form"  # noqa: S105 - a signing namespace, not a secret  # nosec B105
HONEYPOT = "website"  # a name bots like to fill; people never see the field
NEED_FIELDS = ["kind", "title", "need", "pillar", "themes", "country"]
CONTACT_FIELDS = ["requester_name", "institution", "email", "phone"]


def issue_token(issued_at=None):
    """A signed note of when the form was shown: a form sent back sooner than a person could fill it is a bot's."""
    return signing.dumps(issued_at if issued_at is not None else time.time(), salt=TOKEN_SALT)


class LocalizedTermField(forms.ModelMultipleChoiceField):
    """Terms offered by their stable code and labelled in the reader's language."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return term_lookup(self.request).get(obj.translation_key, obj).name


class LocalizedTermChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return term_lookup(self.request).get(obj.translation_key, obj).name


class ExchangeRequestForm(forms.ModelForm):
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    practice = forms.ModelChoiceField(queryset=CaseStudyPage.objects.live(), widget=forms.HiddenInput, required=False)
    phone = forms.CharField(
        label=_("telephone (optional)"),
        required=False,
        max_length=40,
        validators=[
            RegexValidator(
                r"^\+?[0-9][0-9 ().\-]{3,38}$",
                _("Enter a telephone number with digits, spaces, and + ( ) - only."),
            )
        ],
    )

    class Meta:
        model = ExchangeRequest
        fields = [*NEED_FIELDS, "practice", *CONTACT_FIELDS]
        widgets = {"kind": forms.RadioSelect, "need": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        pillar = self.fields["pillar"]
        self.fields["pillar"] = LocalizedTermChoiceField(
            queryset=pillar.queryset.published(),
            label=pillar.label,
            request=request,
            empty_label=None,
            widget=forms.RadioSelect,
        )
        themes = self.fields["themes"]
        self.fields["themes"] = LocalizedTermField(
            queryset=themes.queryset.published(),
            label=themes.label,
            request=request,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["kind"].choices = ExchangeRequest.Kind.choices  # radio buttons need no empty choice
        country = self.fields["country"]
        country.to_field_name = "code"
        # CLDR names in the reader's language, in the order that language sorts them.
        names = sorted(((c.code, c.name) for c in Country.objects.all()), key=lambda item: collation_key(item[1]))
        country.choices = [("", "—"), *names]
        country.label = _("country of the requesting institution")
        for name in ["title", "requester_name", "institution", "email", "phone"]:
            self.fields[name].widget.attrs.setdefault("autocomplete", "off" if name == "title" else "on")
        self.fields[HONEYPOT].widget.attrs.update(tabindex="-1", autocomplete="off")

    def need_fields(self):
        return [self[name] for name in NEED_FIELDS]

    def contact_fields(self):
        return [self[name] for name in CONTACT_FIELDS]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT):
            raise forms.ValidationError(
                _("Your request looks automated and was not sent. If you filled it in yourself, please send it again."),
                code="spam",
            )
        try:
            issued_at = signing.loads(cleaned.get("token") or "", salt=TOKEN_SALT)
            elapsed = time.time() - float(issued_at)
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(
                _("This form has expired. Please check it and send it again."), code="expired"
            ) from None
        if elapsed > settings.EXCHANGE_FORM_MAX_AGE:
            raise forms.ValidationError(_("This form has expired. Please check it and send it again."), code="expired")
        # A form with mistakes is refused anyway: the reader is told about those, not suspected of being a bot.
        if elapsed < settings.EXCHANGE_MIN_FILL_SECONDS and not self.errors:
            raise forms.ValidationError(
                _("Your request looks automated and was not sent. If you filled it in yourself, please send it again."),
                code="spam",
            )
        return cleaned
