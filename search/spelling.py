""" "Did you mean …": the closest words of the live public content of the reader's language.

The vocabulary is built from the database backend's index entries (kept up to date in every configuration, see
``search.backends``) of the pages any reader may open: live, not behind a view restriction, in the reader's
language. A private expert's name is never in a page's index text, and a restricted page's words are never in the
vocabulary, so a suggestion cannot reveal either (the engine's own suggesters read the whole index, restricted
pages included, which is why they are not used). It is cached per language and rebuilt after anything that changes
what readers may see (publishing, unpublishing, moving, a view restriction, an expert's visibility).

Chinese is written without spaces, so a "word" of the texts is a whole clause and closeness of spelling between
clauses means nothing. Its runs of Han characters are split into words by ICU's dictionary word breaker (the
segmentation of Lucene's ICU and smartcn analysers; two words in a row count as one word too) for the candidates,
and their character bigrams, the units the engine's ``cjk`` analyser indexes, tell where a query goes wrong: a bigram
no page contains. A part of the run around such a bigram is replaced by a word of the pages one character away from
it (a character replaced, as a pinyin input method mistypes, or one missing or one too many).
"""

import difflib
import re
from collections import Counter, defaultdict

import icu
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
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")  # CJK unified ideographs (and extension A)
HAN_WORD_LENGTHS = range(2, 7)  # Chinese words considered as replacements (characters)
HAN_ROUNDS = 3  # replacements in one run of the query at most


def text_columns():
    return ("title_text", "body_text") if connection.vendor == "postgresql" else ("title", "body")


def build_vocabulary(locale):
    """The vocabulary of the visible pages of the locale: ``words`` (matching key -> the word's most frequent written
    form) and, for text in Han characters, ``han_words`` (word -> frequency), ``han_bigrams`` and ``han_near``
    (a word and each of its one-character deletions -> the words they come from)."""
    page_ids = [str(pk) for pk in visible_pages(locale).values_list("pk", flat=True)]
    forms = defaultdict(Counter)
    han_words, han_bigrams = Counter(), set()
    page_types = ContentType.objects.get_for_models(*get_page_models(), for_concrete_models=False).values()
    rows = IndexEntry.objects.filter(object_id__in=page_ids, content_type__in=list(page_types))
    for texts in rows.values_list(*text_columns()).iterator():
        for text in texts:
            for word in words(text or ""):
                if HAN.search(word):
                    for run in HAN.findall(word):
                        han_bigrams.update(run[i : i + 2] for i in range(len(run) - 1))
                        parts = segment(run)
                        # Two words in a row too: a term such as 恐怖主义 is segmented as 恐怖 + 主义.
                        compounds = [a + b for a, b in zip(parts, parts[1:], strict=False)]
                        han_words.update(part for part in parts + compounds if len(part) in HAN_WORD_LENGTHS)
                elif len(word) >= MIN_LENGTH and not word.isdigit():
                    forms[fold(word)][word] += 1
    near = defaultdict(list)
    for word in han_words:
        for key in {word, *deletions(word)}:
            near[key].append(word)
    return {
        "words": {key: written_form(counter) for key, counter in forms.items()},
        "han_words": dict(han_words),
        "han_bigrams": han_bigrams,
        "han_near": dict(near),
    }


def segment(run):
    """The words of a run of Han characters, by ICU's dictionary-based word breaker."""
    breaker = icu.BreakIterator.createWordInstance(icu.Locale("zh"))
    breaker.setText(run)
    # ICU counts UTF-16 code units: the same as characters here, since ``HAN`` keeps to the Basic Multilingual Plane.
    bounds = [0, *breaker]
    return [run[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]


def deletions(word):
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def one_apart(typed, word):
    """One character replaced, added or left out."""
    if len(typed) == len(word):
        return sum(a != b for a, b in zip(typed, word, strict=True)) == 1
    shorter, longer = sorted((typed, word), key=len)
    return len(longer) == len(shorter) + 1 and shorter in deletions(longer)


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
    found = vocabulary(locale)
    known = found["words"]
    by_length = defaultdict(list)
    for key in known:
        by_length[len(key)].append(key)
    changed = False
    suggestion = []
    for word in words(query):
        if HAN.search(word):
            spelt = HAN.sub(lambda match: han_spelling(match.group(0), found), word)
            changed = changed or spelt != word
            suggestion.append(spelt)
            continue
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


def han_spelling(run, found):
    """A run of Han characters with its parts that no page contains replaced by the nearest words of the pages."""
    bigrams, frequency, near = found["han_bigrams"], found["han_words"], found["han_near"]

    def unknown(text):
        return [i for i in range(len(text) - 1) if text[i : i + 2] not in bigrams]

    for _round in range(HAN_ROUNDS):
        wrong = unknown(run)
        if not wrong:
            break
        best = None
        for start in range(len(run)):
            for end in range(start + 2, min(len(run), start + max(HAN_WORD_LENGTHS)) + 1):
                typed = run[start:end]
                if typed in frequency or not any(start <= i < end - 1 for i in wrong):
                    continue
                for word in {word for key in {typed, *deletions(typed)} for word in near.get(key, ())}:
                    if not one_apart(typed, word):
                        continue
                    spelt = run[:start] + word + run[end:]
                    # What no page contains first, then what the reader typed kept (a character added rather
                    # than one dropped), then the longer and more frequent word.
                    rank = (len(unknown(spelt)), -len(spelt), -len(word), -frequency[word], spelt)
                    if best is None or rank < best[0]:
                        best = (rank, spelt)
        if best is None or best[0][0] >= len(wrong):
            break
        run = best[1]
    return run


for signal in (page_published, page_unpublished, post_page_move, public_focal_point_changed):
    signal.connect(forget_vocabulary, dispatch_uid=f"search-vocabulary-{id(signal)}")
receiver(post_save, sender=PageViewRestriction, dispatch_uid="search-vocabulary-restriction-saved")(forget_vocabulary)
receiver(post_delete, sender=PageViewRestriction, dispatch_uid="search-vocabulary-restriction-deleted")(
    forget_vocabulary
)
receiver(post_delete, sender=Page, dispatch_uid="search-vocabulary-page-deleted")(forget_vocabulary)
