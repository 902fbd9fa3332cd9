"""The translation status dashboard (every page and translatable snippet, per language, with totals and filters),
and reusing a previous translation after the source changed."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page
from wagtail_localize.models import Translation

from .languages import may_change_locale, refusal_reason
from .status import STATUS_LABELS, totals, translation_status
from .sync_changes import reuse_previous_translation


def may_see_dashboard(user):
    return user.has_perm("wagtailadmin.access_admin") and (
        user.is_superuser or user.has_perm("wagtail_localize.submit_translation")
    )


class TranslationStatusView(TemplateView):
    template_name = "translations/status.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_dashboard(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rows, locales = translation_status()
        language = self.request.GET.get("language", "")
        status = self.request.GET.get("status", "")
        kind = self.request.GET.get("type", "")
        kinds = sorted({row.kind for row in rows})
        codes = [loc.language_code for loc in locales]
        shown_locales = [loc for loc in locales if loc.language_code == language] if language in codes else locales
        shown_codes = [loc.language_code for loc in shown_locales]
        if kind in kinds:
            rows = [row for row in rows if row.kind == kind]
        if status in STATUS_LABELS:
            rows = [row for row in rows if any(row.cells[code].status == status for code in shown_codes)]
        finder = AdminURLFinder(self.request.user)
        table = []
        for row in rows:
            cells = []
            for code in shown_codes:
                cell = row.cells[code]
                cells.append(
                    {
                        "status": cell.status,
                        "label": STATUS_LABELS[cell.status],
                        "url": finder.get_edit_url(cell.target) if cell.target is not None else None,
                    }
                )
            table.append(
                {
                    "title": row.source.get_admin_display_title() if isinstance(row.source, Page) else str(row.source),
                    "kind": row.kind,
                    "edit_url": finder.get_edit_url(row.source),
                    "translate_url": self.translate_url(row.source),
                    "cells": cells,
                }
            )
        all_totals = totals(rows, shown_locales)
        return super().get_context_data(
            page_title=_("Translation status"),
            header_icon="wagtail-localize-language",
            locales=shown_locales,
            all_locales=locales,
            table=table,
            totals=[
                {
                    "locale": loc,
                    "counts": [(STATUS_LABELS[s], s, all_totals[loc.language_code][s]) for s in STATUS_LABELS],
                }
                for loc in shown_locales
            ],
            statuses=list(STATUS_LABELS.items()),
            kinds=kinds,
            selected={"language": language, "status": status, "type": kind},
            **kwargs,
        )

    def translate_url(self, obj):
        if not self.request.user.has_perm("wagtail_localize.submit_translation"):
            return None
        if isinstance(obj, Page):
            return reverse("wagtail_localize:submit_page_translation", args=[obj.pk])
        meta = obj._meta
        return reverse(
            "wagtail_localize:submit_snippet_translation", args=[meta.app_label, meta.model_name, quote(obj.pk)]
        )


class ReusePreviousTranslationView(View):
    """POST: start a changed source string from the translator's previous translation of the earlier text."""

    def post(self, request, translation_id, segment_id):
        translation = get_object_or_404(Translation, pk=translation_id, enabled=True)
        target = translation.get_target_instance()
        finder = AdminURLFinder(request.user)
        edit_url = finder.get_edit_url(target)
        if edit_url is None or not may_change_locale(request.user, translation.target_locale):
            raise PermissionDenied(refusal_reason(request.user, translation.target_locale))
        if reuse_previous_translation(translation, segment_id, request.user) is None:
            messages.error(request, gettext("There is no previous translation of this text to reuse."))
        else:
            messages.success(
                request, gettext("The previous translation was copied into the editor. Check it against the change.")
            )
        return redirect(edit_url)
