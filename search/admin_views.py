"""The admin's search screens: the pending index updates (what the engine missed while it was unreachable, and a
button to replay it once the engine is back: the same replay as ``manage.py replay_search_updates``), and the
editors' report of the most frequent searches and of searches without results."""

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.generic import TemplateView
from wagtail.models import Locale

from accounts.refusals import render_refusal

from . import query_log
from .backends import engine_backend_name
from .models import PendingIndexUpdate
from .replay import replay_pending_updates

PERMISSION = "search.change_pendingindexupdate"
REFUSED = gettext_lazy("Replaying search index updates is for site administrators.")
SHOWN = 200
REPORT_ROWS = 50


def may_replay(user):
    return user.has_perm(PERMISSION)


def language_of(backend_name):
    """The language of an engine backend (``engine-ar`` → the Arabic locale's name)."""
    code = backend_name.removeprefix(engine_backend_name(""))
    locale = Locale.objects.filter(language_code=code).first()
    return locale.get_display_name() if locale else backend_name


def described(updates):
    """Each update with the title of its object (one query per model, not per row); a deleted object has none."""
    ids_by_model = {}
    for update in updates:
        ids_by_model.setdefault((update.app_label, update.model_name), []).append(update.object_id)
    titles = {}
    for (app_label, model_name), ids in ids_by_model.items():
        model = apps.get_model(app_label, model_name)
        for pk, obj in model._default_manager.in_bulk(ids).items():
            titles[(app_label, model_name, str(pk))] = str(obj)
    languages = {}
    for update in updates:
        if update.backend_name not in languages:
            languages[update.backend_name] = language_of(update.backend_name)
        update.title = titles.get((update.app_label, update.model_name, update.object_id), "")
        update.type = apps.get_model(update.app_label, update.model_name)._meta.verbose_name
        update.language = languages[update.backend_name]
    return updates


class PendingUpdatesView(TemplateView):
    template_name = "search/admin/pending_updates.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_replay(request.user):
            return render_refusal(request, REFUSED)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        pending = PendingIndexUpdate.objects.all()
        return super().get_context_data(
            page_title=_("Search index updates"),
            updates=described(list(pending[:SHOWN])),
            total=pending.count(),
            shown=SHOWN,
            **kwargs,
        )

    def post(self, request):
        for result in replay_pending_updates():
            if not (result.replayed or result.pending or result.error):
                continue
            language = language_of(result.backend_name)
            if result.error or result.pending:
                messages.warning(
                    request,
                    _(
                        "%(language)s: the search engine did not answer. "
                        "Replayed: %(replayed)d. Still pending: %(pending)d."
                    )
                    % {"language": language, "replayed": result.replayed, "pending": result.pending},
                )
            else:
                messages.success(
                    request,
                    _("%(language)s: the index is up to date. Replayed: %(replayed)d.")
                    % {"language": language, "replayed": result.replayed},
                )
        return redirect(reverse("search_pending_updates"))


REPORT_PERMISSION = "search.view_searchquerycount"
REPORT_REFUSED = gettext_lazy("The search query report is for editors, moderators and site administrators.")
PERIODS = [7, 30, 90]


def may_see_queries(user):
    return user.has_perm(REPORT_PERMISSION)


class QueryReportForm(forms.Form):
    days = forms.TypedChoiceField(
        label=gettext_lazy("Period"),
        choices=[
            (days, ngettext_lazy("Last %(days)d day", "Last %(days)d days", days) % {"days": days}) for days in PERIODS
        ],
        coerce=int,
        required=False,
        empty_value=30,
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)

    def __init__(self, data):
        super().__init__(data)
        self.fields["language"].choices = [("", _("All languages"))] + [
            (code, name) for code, name in settings.LANGUAGES
        ]


class QueryReportView(TemplateView):
    """The most frequent searches and the searches that found nothing, per language, over a period."""

    template_name = "search/admin/query_report.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_queries(request.user):
            return render_refusal(request, REPORT_REFUSED)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = QueryReportForm(request.GET)
        context = self.get_context_data(page_title=_("Search queries"), form=form, retention=query_log.retention_days())
        if not form.is_valid():
            return self.render_to_response(context, status=400)
        days = form.cleaned_data["days"]
        frequent, zero = query_log.report(days, form.cleaned_data["language"] or None, REPORT_ROWS)
        names = dict(settings.LANGUAGES)
        for row in [*frequent, *zero]:
            row["language_name"] = names.get(row["language"], row["language"])
        context.update(days=days, frequent=frequent, zero=zero)
        return self.render_to_response(context)
