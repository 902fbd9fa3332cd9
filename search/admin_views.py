"""The admin's screen of pending index updates: what the engine missed while it was unreachable, and a button to
replay it once the engine is back (the same replay as ``manage.py replay_search_updates``)."""

from django.apps import apps
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.models import Locale

from accounts.refusals import render_refusal

from .backends import engine_backend_name
from .models import PendingIndexUpdate
from .replay import replay_pending_updates

PERMISSION = "search.change_pendingindexupdate"
REFUSED = gettext_lazy("Replaying search index updates is for site administrators.")
SHOWN = 200


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
