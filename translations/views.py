"""The translation status dashboard (every page and translatable snippet, per language: words translated, what is
out of date and since when, totals and filters; the same table as CSV), and reusing a previous translation after the
source changed."""

import csv
import io

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page
from wagtail_localize.models import Translation

from core.spreadsheets import BOM, neutralise

from .languages import may_change_locale, refusal_reason
from .status import OUTDATED, STATUS_LABELS, totals, translation_status
from .sync_changes import reuse_previous_translation


def may_see_dashboard(user):
    return user.has_perm("wagtailadmin.access_admin") and (
        user.is_superuser or user.has_perm("wagtail_localize.submit_translation")
    )


class StatusTable:
    """The status rows the filters of a request keep (``?language=ar&status=outdated&type=…``; unknown values are
    ignored), with totals: what the page shows and the CSV holds."""

    def __init__(self, request):
        rows, locales = translation_status()
        self.all_locales = locales
        self.selected = {key: request.GET.get(key, "") for key in ("language", "status", "type")}
        self.kinds = sorted({row.kind for row in rows})
        language, status, kind = self.selected["language"], self.selected["status"], self.selected["type"]
        codes = [loc.language_code for loc in locales]
        self.locales = [loc for loc in locales if loc.language_code == language] if language in codes else locales
        self.codes = [loc.language_code for loc in self.locales]
        if kind in self.kinds:
            rows = [row for row in rows if row.kind == kind]
        if status in STATUS_LABELS:
            rows = [row for row in rows if any(row.cells[code].status == status for code in self.codes)]
        self.rows = rows
        self.totals = totals(rows, self.locales)

    def cells(self):
        """(row, locale, cell) for every language shown, row by row."""
        for row in self.rows:
            for locale in self.locales:
                yield row, locale, row.cells[locale.language_code]

    def out_of_date(self):
        """(row, locale, cell) of every out-of-date translation shown, the longest-waiting first."""
        found = [(row, loc, cell) for row, loc, cell in self.cells() if cell.status == OUTDATED]
        return sorted(found, key=lambda item: (item[2].changed_at is None, item[2].changed_at or 0))


def title_of(obj):
    return obj.get_admin_display_title() if isinstance(obj, Page) else str(obj)


class StatusAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_see_dashboard(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TranslationStatusView(StatusAccessMixin, TemplateView):
    template_name = "translations/status.html"

    def get_context_data(self, **kwargs):
        status = StatusTable(self.request)
        finder = AdminURLFinder(self.request.user)
        table = []
        for row in status.rows:
            cells = []
            for code in status.codes:
                cell = row.cells[code]
                cells.append(
                    {
                        "cell": cell,
                        "label": STATUS_LABELS[cell.status],
                        "url": finder.get_edit_url(cell.target) if cell.target is not None else None,
                    }
                )
            table.append(
                {
                    "title": title_of(row.source),
                    "kind": row.kind,
                    "edit_url": finder.get_edit_url(row.source),
                    "translate_url": self.translate_url(row.source),
                    "cells": cells,
                }
            )
        out_of_date = [
            {
                "title": title_of(row.source),
                "kind": row.kind,
                "locale": locale,
                "cell": cell,
                "url": finder.get_edit_url(cell.target),
            }
            for row, locale, cell in status.out_of_date()
        ]
        return super().get_context_data(
            page_title=_("Translation status"),
            header_icon="wagtail-localize-language",
            locales=status.locales,
            all_locales=status.all_locales,
            table=table,
            out_of_date=out_of_date,
            totals=[
                {
                    "locale": loc,
                    "counts": [(STATUS_LABELS[s], s, status.totals[loc.language_code][s]) for s in STATUS_LABELS],
                    "words": status.totals[loc.language_code],
                }
                for loc in status.locales
            ],
            statuses=list(STATUS_LABELS.items()),
            kinds=status.kinds,
            selected=status.selected,
            csv_url=f"{reverse('translations_status_csv')}?{self.request.GET.urlencode()}",
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


class TranslationStatusCSVView(StatusAccessMixin, View):
    """The status table as a spreadsheet: one line per object and language, headers in the admin's language."""

    def get(self, request):
        status = StatusTable(request)
        finder = AdminURLFinder(request.user)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            [
                gettext("Title"),
                gettext("Type"),
                gettext("Language"),
                gettext("Status"),
                gettext("Words translated"),
                gettext("Words"),
                gettext("Percentage translated"),
                gettext("Source changed"),
                gettext("Translation in the admin"),
            ]
        )
        for row, locale, cell in status.cells():
            url = finder.get_edit_url(cell.target) if cell.target is not None else None
            writer.writerow(
                [
                    neutralise(value)
                    for value in (
                        title_of(row.source),
                        row.kind,
                        locale.get_display_name(),
                        STATUS_LABELS[cell.status],
                        cell.translated,
                        cell.words,
                        cell.percent,
                        cell.changed_at.isoformat(timespec="seconds") if cell.changed_at else "",
                        request.build_absolute_uri(url) if url else "",
                    )
                ]
            )
        response = HttpResponse(BOM + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        name = f"translation-status-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
        return response


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
