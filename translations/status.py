"""Translation status of every page and translatable snippet, per language: how the programme proves parity.

For each source object (default language) and each other language the status is one of:
- ``missing``: no translation in that language (an alias showing the source does not count);
- ``outdated``: a translation exists but the source changed since it was last sent to translators (a sync is
  due), or some of its strings are still untranslated;
- ``current``: translated, complete, and based on the source as it is now.

A cell that needs work also says why (what a translator's desk shows): ``new`` (no translation yet),
``source_changed`` (the source changed, or was synced, after the translation was last updated) or ``unfinished``
(started, some strings not translated yet).
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _
from modelcluster.models import get_serializable_data_for_fields
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail.snippets.models import get_snippet_models
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

MISSING, OUTDATED, CURRENT = "missing", "outdated", "current"
STATUS_LABELS = {MISSING: _("Missing"), OUTDATED: _("Out of date"), CURRENT: _("Up to date")}
NEW, SOURCE_CHANGED, UNFINISHED = "new", "source_changed", "unfinished"
# What the translator's desk lists: a translation merely unfinished is already among that translator's drafts.
REASON_LABELS = {NEW: _("New"), SOURCE_CHANGED: _("Source changed")}


@dataclass
class Cell:
    status: str
    target: object = None  # the translated object, when there is one
    reason: str = ""  # why it needs work (empty when current)


@dataclass
class Row:
    source: object
    kind: str  # a model's verbose name, for the "type" filter
    cells: dict = field(default_factory=dict)  # language code -> Cell


def translatable_snippet_models():
    return [model for model in get_snippet_models() if issubclass(model, TranslatableMixin)]


def source_objects():
    """(model, objects) pairs of everything written in the default language that can be translated."""
    default = Locale.get_default()
    pages = Page.objects.filter(locale=default, depth__gt=1, alias_of__isnull=True).specific().order_by("path")
    yield Page, list(pages)
    for model in translatable_snippet_models():
        yield model, list(model.objects.filter(locale=default))


def _untranslated_counts(sources, locales):
    """{(source id, locale id): number of string segments of that source not translated into that locale}."""
    segments = list(
        StringSegment.objects.filter(source__in=sources).values_list("source_id", "string_id", "context_id")
    )
    translated = set(
        StringTranslation.objects.filter(
            translation_of_id__in={s for _, s, _ in segments}, locale__in=locales
        ).values_list("translation_of_id", "context_id", "locale_id")
    )
    counts = {}
    for source_id, string_id, context_id in segments:
        for locale in locales:
            if (string_id, context_id, locale.pk) not in translated:
                counts[(source_id, locale.pk)] = counts.get((source_id, locale.pk), 0) + 1
    return counts


def _source_changed(obj, translation_source):
    """Has the source object changed since wagtail-localize last extracted it?"""
    if isinstance(obj, Page):
        changed_at = obj.last_published_at or obj.latest_revision_created_at
        return changed_at is not None and changed_at > translation_source.last_updated_at
    content = json.loads(json.dumps(get_serializable_data_for_fields(obj), cls=DjangoJSONEncoder))
    return content != json.loads(translation_source.content_json)


def _synced_after_translation(target, translation_source):
    """Was the source re-read (synced) after the translated page was last saved? Its new strings wait."""
    edited_at = getattr(target, "latest_revision_created_at", None)
    return edited_at is not None and translation_source.last_updated_at > edited_at


def translation_status():
    """Rows (one per source object) with one Cell per translatable language, and the locales in column order."""
    default_code = settings.LANGUAGE_CODE
    locales = list(Locale.objects.exclude(language_code=default_code))
    order = {code: i for i, (code, _) in enumerate(settings.WAGTAIL_CONTENT_LANGUAGES)}
    locales.sort(key=lambda loc: order.get(loc.language_code, len(order)))
    rows = []
    for model, objects in source_objects():
        keys = [obj.translation_key for obj in objects]
        targets = model.objects.filter(translation_key__in=keys, locale__in=locales)
        if model is Page:
            targets = targets.filter(alias_of__isnull=True)
        by_key = {(t.translation_key, t.locale_id): t for t in targets}
        sources = {
            s.object_id: s
            for s in TranslationSource.objects.filter(object_id__in=keys, locale__language_code=default_code)
        }
        enabled = set(
            Translation.objects.filter(source__in=sources.values(), enabled=True).values_list(
                "source_id", "target_locale_id"
            )
        )
        untranslated = _untranslated_counts(list(sources.values()), locales)
        for obj in objects:
            row = Row(
                source=obj,
                kind=str(obj.specific_class._meta.verbose_name if model is Page else model._meta.verbose_name),
            )
            source = sources.get(obj.translation_key)
            changed = source is not None and _source_changed(obj, source)
            for locale in locales:
                target = by_key.get((obj.translation_key, locale.pk))
                reason = ""
                if target is None:
                    status, reason = MISSING, NEW
                elif source is not None and (source.pk, locale.pk) in enabled:
                    status = OUTDATED if changed or untranslated.get((source.pk, locale.pk)) else CURRENT
                    if status == OUTDATED:
                        synced = _synced_after_translation(target, source)
                        reason = SOURCE_CHANGED if changed or synced else UNFINISHED
                else:
                    status = CURRENT  # translated by hand, outside wagtail-localize: nothing to compare with
                row.cells[locale.language_code] = Cell(status, target, reason)
            rows.append(row)
    return rows, locales


def totals(rows, locales):
    """{language code: {status: count}} over ``rows``."""
    result = {loc.language_code: dict.fromkeys(STATUS_LABELS, 0) for loc in locales}
    for row in rows:
        for code, counts in result.items():
            counts[row.cells[code].status] += 1
    return result
