""" "Did you mean …": the closest words of the live public content of the reader's language.

The vocabulary is built from the database backend's index entries (kept up to date in every configuration, see
``search.backends``) of the pages any reader may open: live, not behind a view restriction, in the reader's
language. A private expert's name is never in a page's index text, and a restricted page's words are never in the
vocabulary, so a suggestion cannot reveal either (the engine's own suggesters read the whole index, restricted
pages included, which is why they are not used). It is cached per language and rebuilt after anything that changes
what readers may see (publishing, unpublishing, moving, a view restriction, an expert's visibility).
"""

import difflib
from collections import Counter, defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.search.models import IndexEntry
from wagtail.signals import page_published, page_unpublished, post_page_move

from handbook.models.people import public_focal_point_changed

from .glossary import fold, words
from .queries import visible_pages

VERSION_KEY = "search-vocabulary-version"
CACHE_SECONDS = 600
MIN_LENGTH = 3  # shorter words are left as typed
CUTOFF = 0.75  # difflib similarity a suggested word needs
LENGTH_SLACK = 2  # a suggested word is at most this many letters longer or shorter


def text_columns():
    return ("title_text", "body_text") if connection.vendor == "postgresql" else ("title", "body")


def build_vocabulary(locale):
    """Matching key -> the word's most frequent written form, over the visible pages of the locale."""
    page_ids = [str(pk) for pk in visible_pages(locale).values_list("pk", flat=True)]
    forms = defaultdict(Counter)
    page_types = ContentType.objects.get_for_models(*get_page_models(), for_concrete_models=False).values()
    rows = IndexEntry.objects.filter(object_id__in=page_ids, content_type__in=list(page_types))
    for texts in rows.values_list(*text_columns()).iterator():
        for text in texts:
            for word in words(text or ""):
                if len(word) >= MIN_LENGTH and not word.isdigit():
                    forms[fold(word)][word] += 1
    return {key: written_form(counter) for key, counter in forms.items()}


def written_form(counter):
    """The word as the pages write it: in lower case if they ever do (a capital at the start of a title is not part
    of the word), otherwise its most frequent form (a name)."""
    form = counter.most_common(1)[0][0]
    return form.lower() if form.lower() in counter else form


def vocabulary(locale):
    version = cache.get_or_set(VERSION_KEY, 0)
    key = f"search-vocabulary:{locale.pk}:{version}"
    found = cache.get(key)
    if found is None:
        found = build_vocabulary(locale)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1)


def forget_vocabulary(**kwargs):
    """Now, and again once the change is committed (a search in between must not keep the old text cached)."""
    _bump()
    transaction.on_commit(_bump)


def suggest(locale, query):
    """The query with each unknown word replaced by the closest known one, or None when no word is unknown."""
    known = vocabulary(locale)
    by_length = defaultdict(list)
    for key in known:
        by_length[len(key)].append(key)
    changed = False
    suggestion = []
    for word in words(query):
        key = fold(word)
        if key in known:  # as the pages write it (the database backend does not fold hamza forms or alif maqsura)
            suggestion.append(word if word.casefold() == known[key].casefold() else known[key])
            continue
        if len(key) < MIN_LENGTH or key.isdigit():
            suggestion.append(word)
            continue
        candidates = [
            other for size in range(len(key) - LENGTH_SLACK, len(key) + LENGTH_SLACK + 1) for other in by_length[size]
        ]
        closest = difflib.get_close_matches(key, candidates, n=1, cutoff=CUTOFF)
        if closest:
            suggestion.append(known[closest[0]])
            changed = True
        else:
            suggestion.append(word)
    return " ".join(suggestion) if changed else None


for signal in (page_published, page_unpublished, post_page_move, public_focal_point_changed):
    signal.connect(forget_vocabulary, dispatch_uid=f"search-vocabulary-{id(signal)}")
receiver(post_save, sender=PageViewRestriction, dispatch_uid="search-vocabulary-restriction-saved")(forget_vocabulary)
receiver(post_delete, sender=PageViewRestriction, dispatch_uid="search-vocabulary-restriction-deleted")(
    forget_vocabulary
)
receiver(post_delete, sender=Page, dispatch_uid="search-vocabulary-page-deleted")(forget_vocabulary)
