"""The editors' search glossary applied to a query: expansion with synonyms, and the related terms of a query.

Applied when the query runs (query-time expansion), not through the engine's synonym filters: an editor's new
synonym counts from the next search, on the engine and on the database backend alike, with no reindexing and no
index swap. A query that contains one of an entry's words (as whole words, whatever the case, Arabic diacritics or
hamza forms) is also run with that word replaced by each of the entry's other words; a page that matches any of
these alternatives is a result.
"""

import functools
import re
import unicodedata

from core.prepared import PreparedInstances

from .models import GlossaryEntry

MAX_ENTRIES = 3  # glossary entries applied to one query
MAX_ALTERNATIVES = 12  # alternative queries in all (each is one more clause or database search)

# Arabic diacritics (harakat, shadda, sukun, superscript alef, Quranic marks) and the tatweel: readers type words
# with or without them, and they are not letters of the word (``\w`` would even split a word at them).
ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Letters readers type interchangeably, folded for matching only (never in a query sent on).
FOLDS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
WORD = re.compile(r"\w+")


def strip_marks(text):
    return ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text))


def words(text):
    """The words of a text as readers typed them (diacritics dropped)."""
    return WORD.findall(strip_marks(text))


def fold(word):
    """A word's matching key: case, diacritics and interchangeable letters folded."""
    return strip_marks(word).casefold().translate(FOLDS)


def keys(text):
    return list(_keys(text))


@functools.lru_cache(maxsize=4096)
def _keys(text):
    """Kept by text: every search folds every word of every glossary entry (a pure function of the text)."""
    return tuple(fold(word) for word in words(text))


def entries(locale):
    return _ENTRIES(locale=locale.pk)


# Read on every search: compiled once per process (``core.prepared``).
_ENTRIES = PreparedInstances(lambda locale: GlossaryEntry.objects.filter(locale_id=locale))


def _find(sequence, within):
    """Start of the first occurrence of ``sequence`` in ``within`` (lists), or -1."""
    size = len(sequence)
    for start in range(len(within) - size + 1):
        if within[start : start + size] == sequence:
            return start
    return -1


def expand(locale, query, glossary=None):
    """The alternatives of ``query`` that the glossary adds (not the query itself), in the query's own words apart
    from the replaced ones; empty when no entry matches."""
    typed = words(query)
    typed_keys = [fold(word) for word in typed]
    alternatives = []
    matched = 0
    for entry in entries(locale) if glossary is None else glossary:
        variants = [(variant, keys(variant)) for variant in entry.words]
        hit = None
        for variant, variant_keys in sorted(variants, key=lambda item: -len(item[1])):  # the longest match first
            start = _find(variant_keys, typed_keys) if variant_keys else -1
            if start >= 0:
                hit = (variant, start, start + len(variant_keys))
                break
        if hit is None:
            continue
        matched += 1
        _variant, start, end = hit
        for other, other_keys in variants:
            if other_keys == typed_keys[start:end]:
                continue
            alternative = " ".join([*typed[:start], *words(other), *typed[end:]])
            if alternative not in alternatives:
                alternatives.append(alternative)
        if matched == MAX_ENTRIES:
            break
    return alternatives[:MAX_ALTERNATIVES]


def related(locale, query, glossary=None):
    """The glossary entries a reader's query touches: one of their words (of three letters or more) is in the
    query. Shown on a page without results as other words to search for."""
    typed = {key for key in keys(query) if len(key) > 2}
    found = []
    for entry in entries(locale) if glossary is None else glossary:
        if any(typed & {key for key in keys(word) if len(key) > 2} for word in entry.words):
            found.append(entry)
    return found
