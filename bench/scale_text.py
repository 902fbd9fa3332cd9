"""The text of ``bench/search_scale.py``'s generated practices: Zipf-distributed words with topic clusters.

A real collection's words follow Zipf's law (a few very common words, a long tail of rare ones) and its topical words
cluster by subject: "prisoners" or "judicial" are in a small share of the practices, those about prisons or justice.
The first generator drew every word uniformly from the ~56 domain words of ``bench/search.py``, so a ~150-word
practice held nearly all of them and every fixed query matched about two thirds of the collection. Here, per
language:

- **The vocabulary** is every word of the demo's own sample text in that language (``demo/content/*.json``: the
  values under the language's key; 1,685 English and 2,899 Arabic words, diacritics and tatweel stripped), ranked by
  their frequency there, then the domain words of ``bench/search.py`` and of ``TOPICS`` the demo lacks, then a
  generated tail of pseudo-words (seeded) up to ``VOCABULARY`` words. A background word is drawn with Zipf
  frequencies, weight ``1 / rank`` (exponent 1): "the"/"في" are the most frequent, a word of rank 1,000 is in ~1.5%
  of the practices by the background alone.
- **Topics**: each theme of the taxonomy has a word list (``TOPICS``: the domain words a practice on that theme
  uses, hand-assigned, then the words of the theme's own name and description in ``demo/content/taxonomy.json`` that
  are not among the ``COMMON`` most frequent words). A practice's topics are its first one or two themes (so they
  follow its taxonomy links), and ``TOPIC_SHARE`` of its words (half of its title's) are drawn from them: a topic
  picked at random, then a word of its list with Zipf weights over the list's order.

So a broad word (terrorism, community, training, الإرهاب) is in most practices, a topical one (judicial, prisoners,
الضحايا) in those on its themes and a few others (each theme is on ~10% of the practices), a rare one in almost none.
"""

import json
import random
import re
from collections import Counter
from itertools import accumulate
from pathlib import Path

from bench.search import ARABIC_WORDS, ENGLISH_WORDS

DEMO_CONTENT = Path(__file__).resolve().parent.parent / "demo" / "content"
VOCABULARY = 6000  # words per language, the demo's own and a generated tail
COMMON = 100  # the most frequent demo words (function words, "terrorism"): not topical
TOPIC_SHARE = 0.3  # of a practice's words drawn from its topics
TITLE_TOPIC_SHARE = 0.5
WORD = {"en": re.compile(r"[a-z]+"), "ar": re.compile(r"[\u0621-\u064a]+")}
MARKS = re.compile(r"[\u064b-\u0652\u0640]")  # Arabic diacritics and tatweel
DOMAIN = {"en": ENGLISH_WORDS, "ar": ARABIC_WORDS}

# theme code -> the domain words a practice on it uses (English, Arabic), most characteristic first.
TOPICS = {
    "national-action-plans": (
        "national strategy cooperation coordination evaluation networks regional exchange",
        "الوطنية الاستراتيجية التعاون التنسيق التقييم الشبكات الإقليمي",
    ),
    "community-engagement": (
        "community dialogue police municipal councils leaders religious resilience",
        "المجتمع الحوار الشرطة المجالس البلدية القادة الديني الصمود",
    ),
    "education": ("schools teachers literacy skills culture students", "المدارس المعلمون المهارات الثقافة الطلاب"),
    "youth": ("youth mentoring sport employment skills clubs", "الشباب التوجيه الرياضة التشغيل المهارات الأندية"),
    "gender": ("women leaders gender rights equality", "النساء القادة المساواة الحقوق"),
    "strategic-communication": (
        "media narratives content messaging literacy",
        "الإعلام الروايات المحتوى الرسائل",
    ),
    "online-ict": ("online content moderation reporting platforms media", "المحتوى الإلكتروني الإبلاغ المنصات الإعلام"),
    "rehabilitation-reintegration": (
        "rehabilitation reintegration returnees families counselling disengagement",
        "إعادة التأهيل الإدماج العائدون الأسر الإرشاد",
    ),
    "prisons-probation": (
        "prison prisoners probation rehabilitation counselling staff",
        "السجون السجناء المراقبة التأهيل الإرشاد",
    ),
    "criminal-justice": (
        "judicial training fair trial prosecutors police evidence",
        "القضائي التدريب المحاكمة العادلة النيابة الشرطة الأدلة",
    ),
    "terrorism-financing": (
        "financing oversight networks transactions banks",
        "التمويل الرقابة الشبكات الجماعات الإرهابية المصارف",
    ),
    "border-security-travel": (
        "border security cooperation regional travel passengers",
        "الحدود الأمن التعاون الإقليمي السفر المسافرين",
    ),
    "vulnerable-targets": (
        "security early warning police sites protection",
        "الأمن الإنذار المبكر الشرطة المواقع الحماية",
    ),
    "victims-of-terrorism": (
        "victims support families reconciliation mediation",
        "الضحايا الدعم الأسر المصالحة الوساطة",
    ),
    "human-rights-oversight": (
        "rights safeguards accountability oversight parliament",
        "الحقوق الضمانات المساءلة الرقابة البرلمان",
    ),
}


def _texts(node, language, out):
    """Every string under the key `language` in the demo's JSON, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == language and isinstance(value, str):
                out.append(value)
            else:
                _texts(value, language, out)
    elif isinstance(node, list):
        for value in node:
            _texts(value, language, out)
    return out


def _words(text, language):
    return WORD[language].findall(MARKS.sub("", text).lower())


def _pseudo_words(language, count, rng, taken):
    """A seeded tail of word-shaped strings the demo does not hold (rare terms, names, misspellings in real text)."""
    words = []
    while len(words) < count:
        if language == "en":
            syllables = rng.randint(2, 4)
            word = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(syllables))
            word += rng.choice(["", "n", "s", "r", "tion"])
        else:
            word = "".join(rng.choice("بتثجحخدذرزسشصضطظعغفقكلمنهوي") for _ in range(rng.randint(3, 5)))
            word = rng.choice(["", "ال", "و", "ب"]) + word + rng.choice(["", "ة", "ات", "ين"])
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


class TextModel:
    """Draws a language's words: ``sentence(count, topics)``, with ``topics`` theme codes of ``TOPICS``."""

    def __init__(self, language, rng):
        self.rng = rng
        counts = Counter()
        for path in sorted(DEMO_CONTENT.glob("*.json")):
            for text in _texts(json.loads(path.read_text()), language, []):
                counts.update(_words(text, language))
        ranked = [word for word, _ in counts.most_common()]
        side = 0 if language == "en" else 1
        taken = set(ranked)
        extra = [*DOMAIN[language], *(word for words in TOPICS.values() for word in words[side].split())]
        for word in extra:
            if word not in taken:
                taken.add(word)
                ranked.append(word)
        self.demo_words = len(counts)
        ranked += _pseudo_words(language, max(0, VOCABULARY - len(ranked)), random.Random(f"tail-{language}"), taken)
        self.vocabulary = ranked
        self.weights = list(accumulate(1 / rank for rank in range(1, len(ranked) + 1)))
        common = set(ranked[:COMMON])
        taxonomy = json.loads((DEMO_CONTENT / "taxonomy.json").read_text())["theme"]
        described = {
            theme["code"]: _words(" ".join(theme[key].get(language, "") for key in ("name", "description")), language)
            for theme in taxonomy
        }
        self.topics = {}
        for code, words in TOPICS.items():
            listed = list(dict.fromkeys([*words[side].split(), *described.get(code, [])]))
            listed = [word for word in listed if word not in common]
            self.topics[code] = (listed, list(accumulate(1 / rank for rank in range(1, len(listed) + 1))))

    def sentence(self, count, topics, share=TOPIC_SHARE):
        topical = sum(self.rng.random() < share for _ in range(count)) if topics else 0
        words = self.rng.choices(self.vocabulary, cum_weights=self.weights, k=count - topical)
        for _ in range(topical):
            listed, weights = self.topics[self.rng.choice(topics)]
            words.append(self.rng.choices(listed, cum_weights=weights)[0])
        self.rng.shuffle(words)
        return " ".join(words)
