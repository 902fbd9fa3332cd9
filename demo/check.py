"""Validate the sample demo content in ``demo/content/`` (stdlib only).

Run: python demo/check.py (or call ``check_content``, as tests/test_demo_content.py does)
Exits non-zero with a list of problems if any structural rule is broken.
"""

import datetime
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

try:
    from demo.sample_translations import check_translations, load_translations
except ImportError:  # run as a script (python demo/check.py): the demo folder is on the path, not the project
    from sample_translations import check_translations, load_translations

CONTENT = Path(__file__).resolve().parent / "content"
FILES = [
    "taxonomy",
    "countries",
    "case_studies",
    "people",
    "handbook",
    "news",
    "about",
    "site",
    "illustrations",
    "glossary",
]
GLOSSARY_LANGUAGES = {"en", "ar", "fr", "es", "ru", "zh-hans"}
MOTIFS = {"bridge", "circles", "network", "horizon", "squares"}  # demo/illustrations.py

PILLARS = ["I", "II", "III", "IV"]
REGIONS = ["africa", "asia-pacific", "middle-east", "latin-america-caribbean"]
VOCABS = ["pillar", "region", "theme", "target_group", "modality", "actor_type"]
NAME_LANGS = ["en", "ar", "fr", "es", "ru", "zh-hans"]
SECTIONS = ["context", "approach", "activities", "results", "safeguards", "lessons", "sustainability", "transfer"]
# The four items the safeguards reviewer checks (handbook/models/review.py SAFEGUARDS), one mandatory text each.
SAFEGUARD_ITEMS = ["legal_basis", "do_no_harm", "data_protection", "gender"]
COOPERATION = {"bilateral", "regional", "interregional", "triangular"}
STATUS = {"planned", "ongoing", "completed", "discontinued"}
EVIDENCE = {"none", "monitoring", "internal-evaluation", "independent-evaluation"}
REVIEW_STAGES = {"submitted", "verified", "peer-reviewed", "featured"}  # CaseStudyPage.ReviewStage
SAMPLE_NOTICE = (
    "Sample content: the practices, people and centres shown here are illustrative and invented for demonstration."
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_RE = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
ISO2_RE = re.compile(r"^[A-Z]{2}$")
ARABIC_RE = re.compile(r"[\u0600-\u06FF]")
LATIN_WORD_RE = re.compile(r"[A-Za-z]{4,}")
ABOUT_BLOCKS = {"heading": {"heading"}, "paragraph": {"paragraph"}, "quote": {"quote", "attribution"}, "list": {"list"}}
HTML_RE = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>|&[a-z]+;")


def unmark(line):
    """A line of text without the list bullet, dashes or quotation marks written around it."""
    return line.strip().lstrip("•-—– ").strip().strip('“”"').rstrip(".").strip('“”"')


def check_content(folder=CONTENT):
    """The problems found in the content files of ``folder`` (none when consistent), and a summary of them."""
    problems = []

    def fail(msg):
        problems.append(msg)

    def check(cond, msg):
        if not cond:
            fail(msg)
        return cond

    def load(name):
        with open(folder / f"{name}.json", encoding="utf-8") as f:
            return json.load(f)

    data = {name: load(name) for name in FILES}

    # Every paragraph and user-visible pair, collected for the cross-file checks.
    paragraphs = []  # (where, {"en","ar"})
    pairs = []  # (where, {"en","ar"}) -- every bilingual string, paragraphs included

    def pair(where, value, *, paragraph=False):
        """Check a {"en","ar"} pair and record it."""
        if not check(isinstance(value, dict), f"{where}: expected an {{en, ar}} object"):
            return
        en, ar = value.get("en"), value.get("ar")
        check(isinstance(en, str) and en.strip(), f"{where}: missing English text")
        check(isinstance(ar, str) and ar.strip(), f"{where}: missing Arabic text")
        if isinstance(ar, str) and ar.strip():
            check(ARABIC_RE.search(ar), f"{where}: Arabic text has no Arabic script: {ar[:40]!r}")
        if isinstance(en, str) and isinstance(ar, str):
            pairs.append((where, value))
            if paragraph:
                paragraphs.append((where, value))

    def paras(where, value, lo=1, hi=None):
        if not check(isinstance(value, list), f"{where}: expected a list of paragraphs"):
            return
        check(len(value) >= lo, f"{where}: needs at least {lo} paragraph(s), has {len(value)}")
        if hi is not None:
            check(len(value) <= hi, f"{where}: at most {hi} paragraphs, has {len(value)}")
        for i, p in enumerate(value):
            pair(f"{where}[{i}]", p, paragraph=True)

    # ---------------------------------------------------------------- taxonomy
    tax = data["taxonomy"]
    check(sorted(tax) == sorted(VOCABS), f"taxonomy: keys must be {VOCABS}, got {sorted(tax)}")
    codes = {}
    for vocab in VOCABS:
        terms = tax.get(vocab, [])
        codes[vocab] = [t.get("code") for t in terms]
        check(len(set(codes[vocab])) == len(codes[vocab]), f"taxonomy.{vocab}: duplicate codes")
        for t in terms:
            where = f"taxonomy.{vocab}.{t.get('code')}"
            check(
                isinstance(t.get("code"), str) and CODE_RE.match(t["code"]) and t["code"].isascii(),
                f"{where}: code must be ascii kebab-case",
            )
            name = t.get("name", {})
            for lang in NAME_LANGS:
                check(isinstance(name.get(lang), str) and name[lang].strip(), f"{where}: name lacks {lang}")
            check(not set(name) - set(NAME_LANGS), f"{where}: unexpected name languages")
            pair(f"{where}.name", name)
            pair(f"{where}.description", t.get("description"))
            desc_en = t.get("description", {}).get("en", "")
            check(desc_en.endswith("."), f"{where}: description should be one full sentence")
    check(codes["pillar"] == PILLARS, f"taxonomy.pillar: codes must be {PILLARS}")
    check(codes["region"] == REGIONS, f"taxonomy.region: codes must be {REGIONS}")
    expected_sizes = {"theme": 15, "target_group": 13, "modality": 7, "actor_type": 12}
    for vocab, n in expected_sizes.items():
        check(len(codes[vocab]) == n, f"taxonomy.{vocab}: expected {n} terms (taxonomy.md), got {len(codes[vocab])}")
    region_names = {t["code"]: t["name"]["en"] for t in tax["region"]}
    check(
        region_names.get("middle-east") == "Middle East (Arab States)",
        "taxonomy.region: middle-east must be named 'Middle East (Arab States)'",
    )

    # ---------------------------------------------------------------- countries
    countries = data["countries"]
    country_region = {}
    for c in countries:
        code = c.get("code")
        check(isinstance(code, str) and ISO2_RE.match(code), f"countries: bad ISO code {code!r}")
        check(code not in country_region, f"countries: duplicate {code}")
        check(c.get("region") in REGIONS, f"countries.{code}: unknown region {c.get('region')!r}")
        check(set(c) == {"code", "region"}, f"countries.{code}: only code and region (no names)")
        country_region[code] = c.get("region")
    check(50 <= len(countries) <= 70, f"countries: expected about 60, got {len(countries)}")
    per_region = Counter(country_region.values())
    for r in REGIONS:
        check(per_region[r] >= 10, f"countries: region {r} has only {per_region[r]} countries")

    # ---------------------------------------------------------------- people
    people = data["people"]
    experts = people.get("experts", [])
    centres = people.get("centres", [])
    check(4 <= len(experts) <= 6, f"people.experts: need 4-6, got {len(experts)}")
    check(3 <= len(centres) <= 4, f"people.centres: need 3-4, got {len(centres)}")
    expert_slugs = [e.get("slug") for e in experts]
    centre_slugs = [c.get("slug") for c in centres]
    check(len(set(expert_slugs)) == len(expert_slugs), "people.experts: duplicate slugs")
    check(len(set(centre_slugs)) == len(centre_slugs), "people.centres: duplicate slugs")
    for e in experts:
        where = f"people.experts.{e.get('slug')}"
        check(isinstance(e.get("slug"), str) and SLUG_RE.match(e["slug"]), f"{where}: bad slug")
        check(isinstance(e.get("name"), str) and e["name"].strip(), f"{where}: name must be a string")
        names = e.get("names", {})
        check(
            isinstance(names, dict) and all(isinstance(v, str) and v.strip() for v in names.values()),
            f"{where}: names maps a language code to the name in its script",
        )
        check(e.get("country") in country_region, f"{where}: unknown country {e.get('country')!r}")
        pair(f"{where}.role", e.get("role"))
        pair(f"{where}.bio", e.get("bio"), paragraph=True)
        check(e.get("visibility") in {"public", "members", "staff"}, f"{where}: bad visibility {e.get('visibility')!r}")
        check(
            all(re.fullmatch(r"[a-z]{2}", code) for code in e.get("languages", "").split()),
            f"{where}: languages are ISO 639-1 codes separated by spaces",
        )
        for vocab in ("pillar", "theme"):
            for v in e.get(f"{vocab}s", []):
                check(v in codes[vocab], f"{where}: unknown {vocab} code {v!r}")
    for c in centres:
        where = f"people.centres.{c.get('slug')}"
        check(isinstance(c.get("slug"), str) and SLUG_RE.match(c["slug"]), f"{where}: bad slug")
        check(c.get("country") in country_region, f"{where}: unknown country {c.get('country')!r}")
        pair(f"{where}.name", c.get("name"))
        name_en = c.get("name", {}).get("en", "")
        check(
            name_en.startswith("Sample ") or name_en.endswith("(sample)"),
            f"{where}: centre name must be marked as sample",
        )
        pair(f"{where}.description", c.get("description"), paragraph=True)
        if "city" in c:
            pair(f"{where}.city", c.get("city"))
        for vocab in ("pillar", "theme"):
            for v in c.get(f"{vocab}s", []):
                check(v in codes[vocab], f"{where}: unknown {vocab} code {v!r}")
        for s in c.get("experts", []):
            check(s in expert_slugs, f"{where}: unknown expert {s!r}")

    # ---------------------------------------------------------------- handbook
    hb = data["handbook"]
    pair("handbook.title", hb.get("handbook", {}).get("title"))
    paras("handbook.intro", hb.get("handbook", {}).get("intro"))
    chapters = hb.get("chapters", [])
    check(
        [ch.get("pillar") for ch in chapters] == PILLARS,
        "handbook.chapters: need exactly one chapter per pillar, in order I-IV",
    )
    chapter_pillars = {ch.get("pillar") for ch in chapters}
    check(len({ch.get("slug") for ch in chapters}) == len(chapters), "handbook: duplicate chapter slugs")
    for ch in chapters:
        where = f"handbook.{ch.get('pillar')}"
        check(isinstance(ch.get("slug"), str) and SLUG_RE.match(ch["slug"]), f"{where}: bad slug")
        pair(f"{where}.title", ch.get("title"))
        pair(f"{where}.intro", ch.get("intro"), paragraph=True)
        sections = ch.get("sections", [])
        check(2 <= len(sections) <= 3, f"{where}: needs 2-3 sections, has {len(sections)}")
        for i, s in enumerate(sections):
            pair(f"{where}.sections[{i}].heading", s.get("heading"))
            paras(f"{where}.sections[{i}].paragraphs", s.get("paragraphs"), 2, 2)
        refs = ch.get("references", [])
        check(len(refs) == 2, f"{where}: needs 2 references, has {len(refs)}")
        for i, r in enumerate(refs):
            pair(f"{where}.references[{i}]", r)
            check(re.search(r"\b(19|20)\d\d\b", r.get("en", "")), f"{where}.references[{i}]: no year")

    # ---------------------------------------------------------------- case studies
    cases = data["case_studies"]
    check(len(cases) == 14, f"case_studies: need 14, got {len(cases)}")
    case_slugs = [c.get("slug") for c in cases]
    check(len(set(case_slugs)) == len(case_slugs), "case_studies: duplicate slugs")
    KEYS = {
        "slug",
        "title",
        "summary",
        "implementing_country",
        "partner_countries",
        "pillars",
        "themes",
        "target_groups",
        "modalities",
        "actor_types",
        "cooperation_level",
        "status",
        "start_year",
        "end_year",
        "evidence_level",
        "review_stage",
        "experts",
        "centres",
        "chapters",
        "sections",
    }
    REF = {
        "pillars": "pillar",
        "themes": "theme",
        "target_groups": "target_group",
        "modalities": "modality",
        "actor_types": "actor_type",
    }
    impl_regions = Counter()
    primary_pillars = Counter()
    for c in cases:
        where = f"case_studies.{c.get('slug')}"
        check(set(c) == KEYS, f"{where}: keys differ: missing {KEYS - set(c)}, extra {set(c) - KEYS}")
        check(isinstance(c.get("slug"), str) and SLUG_RE.match(c["slug"]), f"{where}: bad slug")
        pair(f"{where}.title", c.get("title"))
        pair(f"{where}.summary", c.get("summary"), paragraph=True)
        summary_en = c.get("summary", {}).get("en", "")
        check(len(summary_en) <= 280, f"{where}: English summary is {len(summary_en)} chars (> 280)")
        impl = c.get("implementing_country")
        check(impl in country_region, f"{where}: unknown implementing country {impl!r}")
        impl_regions[country_region.get(impl)] += 1
        partners = c.get("partner_countries", [])
        for p in partners:
            check(p in country_region, f"{where}: unknown partner country {p!r}")
        check(impl not in partners, f"{where}: implementing country listed as partner")
        check(len(set(partners)) == len(partners), f"{where}: duplicate partners")
        for field, vocab in REF.items():
            values = c.get(field, [])
            check(values, f"{where}: {field} is empty")
            check(len(set(values)) == len(values), f"{where}: duplicate {field}")
            for v in values:
                check(v in codes[vocab], f"{where}: unknown {vocab} code {v!r}")
        if c.get("pillars"):
            primary_pillars[c["pillars"][0]] += 1
        coop = c.get("cooperation_level")
        check(coop in COOPERATION, f"{where}: bad cooperation_level {coop!r}")
        partner_regions = {country_region.get(p) for p in partners}
        home = country_region.get(impl)
        if coop == "bilateral":
            check(len(partners) == 1, f"{where}: bilateral needs exactly one partner")
        elif coop == "regional":
            check(
                partners and partner_regions == {home},
                f"{where}: regional partners must share the implementing country's region",
            )
        elif coop == "interregional":
            check(partner_regions - {home}, f"{where}: interregional needs a partner in another region")
        elif coop == "triangular":
            check(
                partners and {"un-entity", "regional-organization"} & set(c.get("actor_types", [])),
                f"{where}: triangular needs partners and a facilitating UN/regional actor",
            )
        status = c.get("status")
        check(status in STATUS, f"{where}: bad status {status!r}")
        start, end = c.get("start_year"), c.get("end_year")
        check(isinstance(start, int) and 1990 <= start <= 2030, f"{where}: bad start_year {start!r}")
        check(
            end is None or (isinstance(end, int) and isinstance(start, int) and end >= start),
            f"{where}: bad end_year {end!r}",
        )
        if status in {"completed", "discontinued"}:
            check(end is not None, f"{where}: {status} practice needs an end_year")
        if status in {"planned", "ongoing"}:
            check(end is None, f"{where}: {status} practice should have no end_year")
        if status == "planned":
            check(c.get("evidence_level") == "none", f"{where}: planned practice cannot have evidence")
        check(c.get("evidence_level") in EVIDENCE, f"{where}: bad evidence_level")
        check(c.get("review_stage") in REVIEW_STAGES, f"{where}: bad review_stage")
        for s in c.get("experts", []):
            check(s in expert_slugs, f"{where}: unknown expert {s!r}")
        for s in c.get("centres", []):
            check(s in centre_slugs, f"{where}: unknown centre {s!r}")
        check(c.get("chapters"), f"{where}: no related handbook chapter")
        for p in c.get("chapters", []):
            check(p in chapter_pillars, f"{where}: unknown handbook chapter {p!r}")
        sections = c.get("sections", {})
        check(list(sections) == SECTIONS, f"{where}: sections must be {SECTIONS} in order")
        safeguards = sections.get("safeguards") or {}
        check(
            isinstance(safeguards, dict) and list(safeguards) == SAFEGUARD_ITEMS,
            f"{where}: safeguards must be {SAFEGUARD_ITEMS} in order, each mandatory",
        )
        texts = {name: sections.get(name) for name in SECTIONS if name != "safeguards"}
        if isinstance(safeguards, dict):
            texts.update({f"safeguards.{item}": safeguards.get(item) for item in SAFEGUARD_ITEMS})
        for name, value in texts.items():
            paras(f"{where}.sections.{name}", value, 1, 2)
            for i, p in enumerate(value or []):
                n = len(re.findall(r"[.!?](?:\s|$)", p.get("en", "")))
                check(1 <= n <= 3, f"{where}.sections.{name}[{i}]: {n} sentences (1-3 allowed)")

    for r in REGIONS:
        check(impl_regions[r] >= 3, f"case_studies: region {r} implements only {impl_regions[r]}")
    for p in PILLARS:
        check(primary_pillars[p] >= 3, f"case_studies: pillar {p} is primary for only {primary_pillars[p]}")
    used = {f: {v for c in cases for v in c.get(f, [])} for f in REF}
    check(len({c.get("cooperation_level") for c in cases}) == 4, "case_studies: use all 4 cooperation levels")
    check(len({c.get("status") for c in cases}) >= 3, "case_studies: vary status")
    check(len(used["themes"]) >= 10, f"case_studies: only {len(used['themes'])} themes used")
    check(len(used["target_groups"]) >= 8, "case_studies: too few target groups used")

    # ---------------------------------------------------------------- news
    news = data["news"]
    check(len(news) == 6, f"news: need 6 items, got {len(news)}")
    check(len({n.get("slug") for n in news}) == len(news), "news: duplicate slugs")
    kinds = Counter(n.get("kind") for n in news)
    check(set(kinds) <= {"news", "event"}, f"news: bad kinds {set(kinds)}")
    check(kinds["event"] >= 2, "news: need at least 2 events")
    for n in news:
        where = f"news.{n.get('slug')}"
        check(isinstance(n.get("slug"), str) and SLUG_RE.match(n["slug"]), f"{where}: bad slug")
        date = n.get("date", "")
        ok = bool(re.match(r"^2026-\d\d-\d\d$", date))
        if ok:
            try:
                datetime.date.fromisoformat(date)
            except ValueError:
                ok = False
        check(ok, f"{where}: date must be a valid 2026-MM-DD, got {date!r}")
        if n.get("kind") == "event":
            pair(f"{where}.place", n.get("place"))
        else:
            check(n.get("place") is None, f"{where}: news items have place null")
        pair(f"{where}.title", n.get("title"))
        pair(f"{where}.summary", n.get("summary"), paragraph=True)
        paras(f"{where}.body", n.get("body"), 2, 3)
    check(len({n.get("date", "")[:7] for n in news}) >= 5, "news: spread dates over the year")

    # ---------------------------------------------------------------- about
    about = data["about"]
    pair("about.title", about.get("title"))
    check(about.get("title", {}).get("en") == "About the programme", "about.title.en is fixed")
    pair("about.intro", about.get("intro"), paragraph=True)
    # The body is a list of blocks, each one kind: a heading, a paragraph, a quote with its attribution, or a list
    # (so the page shows real headings and lists, not paragraphs that look like them).
    body = about.get("body", [])
    check(isinstance(body, list) and body, "about.body: a list of blocks")
    about_ar = []  # the Arabic text of the body, in order, to compare with the programme's description
    for i, block in enumerate(body if isinstance(body, list) else []):
        kind = next((k for k in ABOUT_BLOCKS if k in block), None)
        if not check(kind and set(block) <= ABOUT_BLOCKS[kind], f"about.body[{i}]: one of {sorted(ABOUT_BLOCKS)}"):
            continue
        if kind == "heading":
            pair(f"about.body[{i}].heading", block["heading"])
            texts = [block["heading"]]
        elif kind == "list":
            check(len(block["list"]) >= 2, f"about.body[{i}]: a list has at least two items")
            texts = block["list"]
            for j, item in enumerate(texts):
                pair(f"about.body[{i}].list[{j}]", item, paragraph=True)
        elif kind == "quote":
            texts = [block["quote"], block.get("attribution", {})]
            pair(f"about.body[{i}].quote", block["quote"], paragraph=True)
            pair(f"about.body[{i}].attribution", block.get("attribution"))
        else:
            texts = [block["paragraph"]]
            pair(f"about.body[{i}].paragraph", block["paragraph"], paragraph=True)
        about_ar.extend(text.get("ar", "") for text in texts)
    check(
        sum("heading" in block for block in body) >= 3 and any("list" in block for block in body),
        "about.body: headings and at least one list",
    )
    source = CONTENT.parents[2] / "shared" / "programme" / "programme-description.ar.txt"
    if not source.exists():
        source = CONTENT.parents[3] / "shared" / "programme" / "programme-description.ar.txt"
    if source.exists():
        # The description marks its list items, quotation and attribution with characters; the blocks say it.
        src = [ln.strip() for ln in source.read_text(encoding="utf-8").splitlines() if ln.strip()]
        check(
            [unmark(line) for line in src] == [unmark(text) for text in about_ar],
            "about.body: the Arabic text differs from shared/programme/programme-description.ar.txt",
        )

    # ---------------------------------------------------------------- illustrations
    illustrations = data["illustrations"]
    check(illustrations.get("caption", {}).get("en") == "Sample illustration", "illustrations: labelled as samples")
    slugs = {
        "case_study": {c.get("slug") for c in cases},
        "chapter": {c.get("slug") for c in chapters},
        "news": {n.get("slug") for n in news},
    }
    for i, item in enumerate(illustrations.get("illustrations", [])):
        where = f"illustrations[{i}]"
        check(item.get("motif") in MOTIFS, f"{where}: motif must be one of {sorted(MOTIFS)}")
        target = item.get("page", {})
        check(target.get("slug") in slugs.get(target.get("type"), ()), f"{where}: no such page {target}")
        pair(f"{where}.alt", item.get("alt"))

    # ---------------------------------------------------------------- search glossary
    terms = {language: set() for language in GLOSSARY_LANGUAGES}
    for i, entry in enumerate(data["glossary"].get("entries", [])):
        where = f"glossary.entries[{i}]"
        check(set(entry) == GLOSSARY_LANGUAGES, f"{where}: one word list per language ({sorted(GLOSSARY_LANGUAGES)})")
        for language, words in entry.items():
            if check(
                isinstance(words, list) and words and all(isinstance(w, str) and w.strip() for w in words),
                f"{where}.{language}: a term and its synonyms",
            ):
                check(words[0] not in terms.get(language, set()), f"{where}.{language}: term listed twice")
                terms.setdefault(language, set()).add(words[0])

    # ---------------------------------------------------------------- site
    home = data["site"].get("home", {})
    pair("site.home.title", home.get("title"))
    pair("site.home.intro", home.get("intro"), paragraph=True)
    pair("site.home.sample_notice", home.get("sample_notice"))
    check(home.get("sample_notice", {}).get("en") == SAMPLE_NOTICE, "site: sample_notice.en changed")
    check(len(re.findall(r"[.!?](?:\s|$)", home.get("intro", {}).get("en", ""))) == 2, "site.home.intro: two sentences")
    # The section pages' meta descriptions (the other pages are described by their summary or introduction).
    pair("about.search_description", about.get("search_description"))
    pair("site.coverage.title", data["site"].get("coverage", {}).get("title"))
    pair("site.coverage.intro", data["site"].get("coverage", {}).get("intro"), paragraph=True)
    for section in ["home", "handbook", "practices", "news", "coverage"]:
        pair(f"site.{section}.search_description", data["site"].get(section, {}).get("search_description"))

    # ---------------------------------------------------------------- cross-file rules

    def walk(value, where):
        """Every dict with an 'en' key is a translated string and needs 'ar'; no HTML anywhere."""
        if isinstance(value, dict):
            if "en" in value and isinstance(value["en"], str):
                check(isinstance(value.get("ar"), str) and value["ar"].strip(), f"{where}: 'en' without 'ar'")
            for k, v in value.items():
                walk(v, f"{where}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{where}[{i}]")
        elif isinstance(value, str):
            check(not HTML_RE.search(value), f"{where}: looks like HTML: {value[:50]!r}")
            check(value == value.strip() and "  " not in value, f"{where}: stray whitespace")

    for name in FILES:
        walk(data[name], name)

    # English paragraphs unique across all files; Arabic ones too.
    seen_en, seen_ar = {}, {}
    for where, p in paragraphs:
        if p["en"] in seen_en:
            fail(f"duplicate English paragraph at {where} and {seen_en[p['en']]}: {p['en'][:50]!r}")
        seen_en[p["en"]] = where
        if p["ar"] in seen_ar:
            fail(f"duplicate Arabic paragraph at {where} and {seen_ar[p['ar']]}")
        seen_ar[p["ar"]] = where

    # No sentence repeated verbatim in different paragraphs.
    sentence_at = {}
    for where, p in paragraphs:
        for s in re.split(r"(?<=[.!?;:])\s+", p["en"]):
            if len(s.split()) >= 6:
                if s in sentence_at and sentence_at[s] != where:
                    fail(f"sentence repeated at {where} and {sentence_at[s]}: {s[:60]!r}")
                sentence_at.setdefault(s, where)

    # The same English text must always carry the same translation in every language
    # (the loader maps English text to its translation).
    translations = defaultdict(set)
    for _where, p in pairs:
        for lang, text in p.items():
            if lang != "en":
                translations[(p["en"], lang)].add(text)
    for (en, lang), texts in translations.items():
        check(len(texts) == 1, f"English text with {len(texts)} different {lang} translations: {en[:50]!r}")

    # Arabic text should not carry untranslated English words (except citations and names).
    for where, p in pairs:
        leftovers = list(LATIN_WORD_RE.findall(p["ar"]))
        check(
            not leftovers or where.startswith("handbook.") and "references" in where,
            f"{where}: Latin words in Arabic text: {leftovers[:3]}",
        )

    # ------------------------------------------------------------ summary
    summary = [
        "taxonomy: " + ", ".join(f"{v} {len(codes[v])}" for v in VOCABS),
        f"countries: {len(countries)} (" + ", ".join(f"{r} {per_region[r]}" for r in REGIONS) + ")",
        f"case studies: {len(cases)}; by region "
        + ", ".join(f"{r} {impl_regions[r]}" for r in REGIONS)
        + "; primary pillar "
        + ", ".join(f"{p} {primary_pillars[p]}" for p in PILLARS),
        f"people: {len(experts)} experts, {len(centres)} centres; handbook: {len(chapters)} "
        f"chapters; news: {kinds['news']} news + {kinds['event']} events",
        f"{len(paragraphs)} unique bilingual paragraphs, {len(pairs)} en/ar pairs checked",
    ]
    # The sample translations (French, Spanish, Russian, Chinese): each listed page has every text.
    problems.extend(check_translations(json.loads(json.dumps(data)), folder))
    summary.append(
        "sample translations: "
        + ", ".join(f"{language} {len(t['pages'])} pages" for language, t in load_translations(folder).items())
    )
    return problems, summary


def main():
    problems, summary = check_content()
    if problems:
        print(f"FAILED: {len(problems)} problem(s)")
        for msg in problems:
            print(" -", msg)
        return 1
    print("OK: demo content is consistent")
    for line in summary:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
