"""The forum's forms: a new thread, a reply, a report, a moderator's decision and a thread's summary for the news."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Post, Report, Thread

BODY_HELP = _(
    "Plain text: web addresses become links, a blank line starts a new paragraph, and [[slug]] links a practice or "
    "a handbook chapter (the slug is the last part of its address). No images or markup."
)


class PostFieldsMixin:
    def setup_post_fields(self):
        self.fields["language"].choices = settings.LANGUAGES  # each language named in itself, no empty choice
        self.fields["language"].help_text = _("The language you write in: the text is shown in its direction.")
        self.fields["body"].help_text = BODY_HELP
        self.fields["body"].widget.attrs.update(rows=8, dir="auto")


class ThreadForm(PostFieldsMixin, forms.ModelForm):
    body = forms.CharField(label=_("message"), max_length=5000, widget=forms.Textarea)

    class Meta:
        model = Thread
        fields = ["title", "language", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_post_fields()
        self.fields["title"].widget.attrs.update(dir="auto", autocomplete="off")


class ReplyForm(PostFieldsMixin, forms.ModelForm):
    class Meta:
        model = Post
        fields = ["language", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_post_fields()


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4, "dir": "auto"})}


class ModerationForm(forms.Form):
    action = forms.CharField(max_length=20)
    reason = forms.CharField(label=_("reason"), max_length=1000, required=False)


class SummaryForm(forms.Form):
    title = forms.CharField(label=_("title of the news item"), max_length=255)
    summary = forms.CharField(
        label=_("summary"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_("What the thread concluded, in at most 400 characters, without the names of members."),
    )
