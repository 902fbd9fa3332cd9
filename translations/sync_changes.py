"""What changed in the source since a translator last translated it, and their previous translation.

"Sync translated pages" re-reads the source: a changed paragraph becomes a new source string with no translation,
so the editor shows it blank. wagtail-localize keeps the translation of the old string (in the same field, its
"context"), so the translator's earlier work can be shown beside the old and the new source text, and reused as
the starting point for the new one.
"""

import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html_join
from wagtail_localize.models import StringSegment, StringTranslation

# A reused translation that nobody has edited since is "to check": a translator has not confirmed it yet.
REUSED_TOOL_NAME = "previous-translation"


@dataclass
class ChangedString:
    segment: StringSegment
    field_label: str
    old_source: str
    new_source: str
    previous_translation: str
    reused: bool  # the new string starts from the previous translation and awaits the translator's check

    @property
    def source_diff(self):
        return word_diff(self.old_source, self.new_source)


def word_diff(old, new):
    """The new text with removed words in <del> and added words in <ins> (both escaped)."""
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            parts.append(("del", "".join(old_words[i1:i2])))
        if op in ("replace", "insert"):
            parts.append(("ins", "".join(new_words[j1:j2])))
        if op == "equal":
            parts.append(("span", "".join(old_words[i1:i2])))
    return format_html_join("", "<{0}>{1}</{0}>", parts)


def field_label(model, path):
    try:
        return str(model._meta.get_field(path.split(".")[0]).verbose_name)
    except FieldDoesNotExist:
        return path


def changed_strings(translation):
    """Each current source string that has no translation of its own (or only a reused, unchecked one) while the
    same field holds a translation of an earlier version of the text. Several strings in one field (paragraphs of
    a rich text) are paired with the earlier texts they resemble most."""
    source = translation.source
    locale = translation.target_locale
    segments = list(StringSegment.objects.filter(source=source).select_related("string", "context").order_by("order"))
    current = {(segment.string_id, segment.context_id): segment for segment in segments}
    translations = StringTranslation.objects.filter(
        locale=locale, context_id__in={segment.context_id for segment in segments}
    ).select_related("translation_of")
    own, earlier = {}, {}
    for string_translation in translations:
        key = (string_translation.translation_of_id, string_translation.context_id)
        if key in current:
            own[key] = string_translation
        else:
            earlier.setdefault(string_translation.context_id, []).append(string_translation)
    model = source.specific_content_type.model_class()
    changes = []
    for key, segment in current.items():
        mine = own.get(key)
        reused = mine is not None and mine.tool_name == REUSED_TOOL_NAME
        if mine is not None and not reused:
            continue
        candidates = earlier.get(segment.context_id, [])
        if not candidates:
            continue
        best = max(
            candidates,
            key=lambda t: (
                difflib.SequenceMatcher(a=t.translation_of.data, b=segment.string.data).ratio(),
                t.updated_at,
            ),
        )
        changes.append(
            ChangedString(
                segment=segment,
                field_label=field_label(model, segment.context.path),
                old_source=best.translation_of.data,
                new_source=segment.string.data,
                previous_translation=best.data,
                reused=reused,
            )
        )
    return changes


def reuse_previous_translation(translation, segment_id, user):
    """Start the new string from the previous translation; it stays marked "to check" until edited in the editor."""
    change = next((c for c in changed_strings(translation) if c.segment.pk == segment_id), None)
    if change is None or change.reused:
        return None
    return StringTranslation.objects.create(
        translation_of=change.segment.string,
        locale=translation.target_locale,
        context=change.segment.context,
        data=change.previous_translation,
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
        tool_name=REUSED_TOOL_NAME,
        last_translated_by=user,
    )
