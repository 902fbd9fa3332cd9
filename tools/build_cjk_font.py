"""Build the self-hosted Chinese (Simplified) font: Noto Sans CJK SC cut down to the Han characters and CJK
punctuation the site uses, as WOFF2, regular and bold, into ``site/static/fonts/``.

The full font is about 16 MB per weight; the site's Chinese (the zh_Hans catalogue and the demo content) needs a
few hundred kilobytes of it. Characters outside the subset (text an editor adds later) fall back to the next
family in ``site.css``'s Chinese stack, which is also a Simplified Chinese face, never a Japanese one.

Regenerate after adding Chinese text (needs Debian's ``fonts-noto-cjk`` and the dev extras' ``fonttools`` and
``brotli``)::

    .venv/bin/python tools/build_cjk_font.py

The subset keeps the OpenType features CJK text needs (vertical metrics, ``locl`` for zh-Hans forms, proportional
punctuation) and drops hinting; the output is deterministic for the same input text.
"""

import json
import sys
from pathlib import Path

from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {
    400: Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    700: Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
}
FAMILY = "Noto Sans CJK SC"
OUTPUT = ROOT / "site" / "static" / "fonts"
# Han ideographs (with extension A), CJK symbols and punctuation, fullwidth forms, and the few general punctuation
# marks Chinese typesetting takes from the CJK font (curly quotes, dashes, ellipsis, middle dot). Latin letters and
# digits stay with the page's Latin font. The same ranges are the @font-face's unicode-range in site.css.
RANGES = [(0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF)]
PUNCTUATION = "\u00b7\u2014\u2018\u2019\u201c\u201d\u2026"


def texts():
    """Every piece of Chinese the site shows: the interface catalogue and the demo content."""
    yield (ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    for path in sorted((ROOT / "demo" / "content").rglob("*.json")):
        yield json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)


def characters():
    wanted = set(PUNCTUATION)
    for text in texts():
        wanted.update(char for char in text if any(low <= ord(char) <= high for low, high in RANGES))
    return "".join(sorted(wanted))


def subset(source, text, target):
    collection = TTCollection(str(source))
    font = next(font for font in collection.fonts if font["name"].getBestFamilyName() == FAMILY)
    options = Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = ["*"]
    subsetter = Subsetter(options=options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(str(target))


def main():
    text = characters()
    for weight, source in SOURCES.items():
        target = OUTPUT / f"noto-sans-sc-subset-{weight}-normal.woff2"
        subset(source, text, target)
        print(f"{target.relative_to(ROOT)}: {len(text)} characters, {target.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
