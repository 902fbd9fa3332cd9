"""Translation status of every page and translatable snippet, per language: how the programme proves parity.

For each source object (default language) and each other language the status is one of:
- ``missing``: no translation in that language (an alias showing the source does not count);
- ``outdated``: the source's text changed since it was last sent to translators (a sync is due), or it was synced
  after the translation was last saved and the new text is not translated yet;
- ``unfinished``: started, based on the source as it is now, some of its words not translated yet;
- ``current``: translated, complete, and based on the source as it is now.

Progress is counted in **words**, not in wagtail-localize's segments: a chapter's paragraph of 200 words and its
two-word heading are not the same amount of work. Fields that are not text a reader reads do not count: the slug
(a URL part: wagtail-localize offers it, and keeps the source's when left alone) and every synchronised field
(codes, choices, dates, links), which wagtail-localize never offers as a string anyway.

A cell that needs work also says why (what a translator's desk shows): ``new`` (no translation yet),
``source_changed`` or ``unfinished``.
"""

import html
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail.snippets.models import get_snippet_models
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

MISSING, OUTDATED, UNFINISHED, CURRENT = "missing", "outdated", "unfinished", "current"
STATUS_LABELS = {
    MISSING: _("Missing"),
    OUTDATED: _("Out of date"),
    UNFINISHED: _("In progress"),
    CURRENT: _("Up to date"),
}
NEW, SOURCE_CHANGED = "new", "source_changed"
REASONS = {MISSING: NEW, OUTDATED: SOURCE_CHANGED, UNFINISHED: UNFINISHED, CURRENT: ""}
# What the translator's desk lists: a translation merely unfinished is already among that translator's drafts.
REASON_LABELS = {NEW: _("New"), SOURCE_CHANGED: _("Source changed")}

# Content paths of strings that are not prose: they count for no words.
UNCOUNTED_PATHS = {"slug"}
# A word: letters or digits, joined by inner hyphens or apostrophes ("counter-terrorism", "programme's" are one).
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def count_words(data):
    """Words in a string as wagtail-localize stores it (an HTML fragment with inline tags and entities)."""
    return len(WORD.findall(html.unescape(strip_tags(data))))


@dataclass
class Cell:
    status: str
    target: object = None  # the translated object, when there is one
    words: int = 0  # words of the source to translate
    translated: int = 0  # of which translated into this language
    changed_at: object = None  # when the source changed under an out-of-date translation (None: not known)

    @property
    def reason(self):
        """Why it needs work (empty when current)."""
        return REASONS[self.status]

    @property
    def percent(self):
        return percent(self.translated, self.words)


@dataclass
class Row:
    source: object
    kind: str  # a model's verbose name, for the "type" filter
    cells: dict = field(default_factory=dict)  # language code -> Cell


def percent(part, whole):
    """Whole percent, rounded down: 99.6 % translated is not "100 %"; nothing to translate is complete."""
    return 100 if whole == 0 else part * 100 // whole


def translatable_snippet_models():
    return [model for model in get_snippet_models() if issubclass(model, TranslatableMixin)]


def source_objects():
    """(model, objects) pairs of everything written in the default language that can be translated."""
    default = Locale.get_default()
    pages = Page.objects.filter(locale=default, depth__gt=1, alias_of__isnull=True).specific().order_by("path")
    yield Page, list(pages)
    for model in translatable_snippet_models():
        yield model, list(model.objects.filter(locale=default))


def counted_strings(segments):
    """{(path, string data)} of ``(path, data)`` pairs that count as text."""
    return {(path, data) for path, data in segments if path not in UNCOUNTED_PATHS}


def extracted_strings(obj):
    """The source's countable strings as they are now (what a sync would send to translators)."""
    return counted_strings(
        (segment.path, segment.string.data)
        for segment in extract_segments(obj)
        if isinstance(segment, StringSegmentValue)
    )


class SourceStrings:
    """The strings wagtail-localize extracted from each source, and which of them each language has translated."""

    def __init__(self, sources, locales):
        rows = StringSegment.objects.filter(source__in=sources).values_list(
            "source_id", "string_id", "context_id", "context__path", "string__data"
        )
        self.segments = {}  # source id -> [(string id, context id, words)]
        self.stored = {}  # source id -> {(path, data)}
        words_of = {}
        for source_id, string_id, context_id, path, data in rows:
            self.stored.setdefault(source_id, set())
            if path in UNCOUNTED_PATHS:
                continue
            self.stored[source_id].add((path, data))
            if string_id not in words_of:
                words_of[string_id] = count_words(data)
            self.segments.setdefault(source_id, []).append((string_id, context_id, words_of[string_id]))
        self.translated = set(
            StringTranslation.objects.filter(
                translation_of_id__in=words_of, locale__in=locales, has_error=False
            ).values_list("translation_of_id", "context_id", "locale_id")
        )

    def words(self, source):
        return sum(words for _string, _context, words in self.segments.get(source.pk, []))

    def translated_words(self, source, locale):
        return sum(
            words
            for string_id, context_id, words in self.segments.get(source.pk, [])
            if (string_id, context_id, locale.pk) in self.translated
        )


def changed_at(obj):
    """When the source's live content last changed (pages: published; snippets with revisions: their latest)."""
    if isinstance(obj, Page):
        return obj.last_published_at or obj.latest_revision_created_at
    return getattr(obj, "last_published_at", None) or getattr(obj, "latest_revision_created_at", None)


def source_changed(obj, translation_source, strings):
    """Has the source's text changed since wagtail-localize last extracted it (a sync is due)?

    The strings a sync would send to translators are compared with those extracted then, so a page published again
    without a change of text, or a change of a field that is not text (a snippet's linked account, a page's country:
    synchronised fields, copied at the next sync), leaves every translation up to date. Pages are compared only when
    published since the extraction (cheap first)."""
    if isinstance(obj, Page):
        when = changed_at(obj)
        if when is None or when <= translation_source.last_updated_at:
            return False
    return extracted_strings(obj) != strings.stored.get(translation_source.pk, set())


def synced_after_translation(target, translation_source):
    """Was the source re-read (synced) after the translation was last saved? Its new strings wait."""
    edited_at = getattr(target, "latest_revision_created_at", None)
    return edited_at is not None and translation_source.last_updated_at > edited_at


def ordered_locales():
    """Every language but the default, in the order of ``WAGTAIL_CONTENT_LANGUAGES``."""
    locales = list(Locale.objects.exclude(language_code=settings.LANGUAGE_CODE))
    order = {code: i for i, (code, _) in enumerate(settings.WAGTAIL_CONTENT_LANGUAGES)}
    locales.sort(key=lambda loc: order.get(loc.language_code, len(order)))
    return locales


def translation_status():
    """Rows (one per source object) with one Cell per translatable language, and the locales in column order."""
    locales = ordered_locales()
    rows = []
    for model, objects in source_objects():
        keys = [obj.translation_key for obj in objects]
        targets = model.objects.filter(translation_key__in=keys, locale__in=locales)
        if model is Page:
            targets = targets.filter(alias_of__isnull=True)
        by_key = {(t.translation_key, t.locale_id): t for t in targets}
        sources = {
            s.object_id: s
            for s in TranslationSource.objects.filter(object_id__in=keys, locale__language_code=settings.LANGUAGE_CODE)
        }
        enabled = set(
            Translation.objects.filter(source__in=sources.values(), enabled=True).values_list(
                "source_id", "target_locale_id"
            )
        )
        strings = SourceStrings(list(sources.values()), locales)
        for obj in objects:
            row = Row(
                source=obj,
                kind=str(obj.specific_class._meta.verbose_name if model is Page else model._meta.verbose_name),
            )
            source = sources.get(obj.translation_key)
            if source is not None:
                words = strings.words(source)
                changed = source_changed(obj, source, strings)
            else:  # never sent for translation: count what would be sent
                words = sum(count_words(data) for _path, data in extracted_strings(obj))
                changed = False
            for locale in locales:
                row.cells[locale.language_code] = cell(
                    obj, by_key.get((obj.translation_key, locale.pk)), locale, source, words, changed, enabled, strings
                )
            rows.append(row)
    return rows, locales


def cell(obj, target, locale, source, words, changed, enabled, strings):
    if target is None:
        return Cell(MISSING, words=words)
    if source is None or (source.pk, locale.pk) not in enabled:
        # Translated by hand, outside wagtail-localize (or its synced translation was stopped): nothing to compare.
        return Cell(CURRENT, target, words=words, translated=words)
    translated = strings.translated_words(source, locale)
    if changed:
        return Cell(OUTDATED, target, words, translated, changed_at(obj) or source.last_updated_at)
    if translated < words:
        if synced_after_translation(target, source):
            return Cell(OUTDATED, target, words, translated, source.last_updated_at)
        return Cell(UNFINISHED, target, words, translated)
    return Cell(CURRENT, target, words, translated)


def totals(rows, locales):
    """{language code: {status: count, "words": n, "translated": n, "percent": n}} over ``rows``."""
    result = {loc.language_code: {**dict.fromkeys(STATUS_LABELS, 0), "words": 0, "translated": 0} for loc in locales}
    for row in rows:
        for code, counts in result.items():
            cell_ = row.cells[code]
            counts[cell_.status] += 1
            counts["words"] += cell_.words
            counts["translated"] += cell_.translated
    for counts in result.values():
        counts["percent"] = percent(counts["translated"], counts["words"])
    return result
