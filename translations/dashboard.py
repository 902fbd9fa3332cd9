"""The translator's panel on the admin's home page: the work waiting in their languages, each item with its reason
(new, source changed) and a link straight to the translation editor or the "translate" action."""

from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from .languages import translator_languages
from .status import MISSING, REASON_LABELS, SOURCE_CHANGED, translation_status

PANEL_LIMIT = 20  # the rest is on the translation status page, filtered to the translator's language


def translate_url(obj):
    """wagtail-localize's "translate" action for a source page or snippet."""
    if isinstance(obj, Page):
        return reverse("wagtail_localize:submit_page_translation", args=[obj.pk])
    meta = obj._meta
    return reverse("wagtail_localize:submit_snippet_translation", args=[meta.app_label, meta.model_name, quote(obj.pk)])


def title_of(obj):
    return obj.get_admin_display_title() if isinstance(obj, Page) else str(obj)


class TranslatorWorkPanel(Component):
    name = "desk_translator_work"
    template_name = "translations/dashboard/translator_work.html"
    order = 105

    def items(self, user):
        """(language code, [row]) per language the user translates into, for every object that needs work."""
        languages = translator_languages(user)
        if not languages or not user.has_perm("wagtail_localize.submit_translation"):
            return []
        rows, locales = translation_status()
        finder = AdminURLFinder(user)
        result = []
        for locale in locales:
            code = locale.language_code
            if code not in languages:
                continue
            work = []
            for row in rows:
                cell = row.cells[code]
                if cell.reason not in REASON_LABELS:
                    continue
                if cell.status == MISSING:
                    url = translate_url(row.source)
                else:
                    url = finder.get_edit_url(cell.target)
                    if url is None:  # not theirs to change
                        continue
                work.append(
                    {
                        "title": title_of(row.source),
                        "kind": row.kind,
                        "reason": cell.reason,
                        "reason_label": REASON_LABELS[cell.reason],
                        "url": url,
                        "is_new": cell.status == MISSING,
                    }
                )
            work.sort(key=lambda item: item["reason"] != SOURCE_CHANGED)  # a live translation out of step first
            if work:
                status_url = reverse("translations_status") + "?" + urlencode({"language": code})
                result.append(
                    {"locale": locale, "rows": work[:PANEL_LIMIT], "more": len(work) - PANEL_LIMIT, "all": status_url}
                )
        return result

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {"languages": self.items(request.user), "request": request}
