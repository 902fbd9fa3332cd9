"""Reading the handbook and the site (issue 10, "Reading"), over HTTP: a chapter links to the previous and next
chapter in the reader's language, with nothing beyond either end; its table of contents links to the ids its
section headings carry, in every script; the About page's blocks are real headings, a quotation and a list; and the
stylesheet gives keyboard focus a visible ring that stands out on every background the site uses.
"""

import copy
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Locale

from demo.loader import about_body
from handbook.factories import ChapterPageFactory, HandbookPageFactory
from home.factories import AboutPageFactory
from home.models import HomePage

pytestmark = pytest.mark.django_db

STYLESHEET = Path(settings.BASE_DIR) / "site" / "static" / "css" / "site.css"


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def chapter_nav(html):
    """``{rel: (href, text)}`` of the chapter navigation's links."""
    nav = re.search(r'<nav class="chapter-nav".*?</nav>', html, re.S)
    if nav is None:
        return {}
    links = re.findall(r'<a [^>]*rel="(prev|next)" href="([^"]+)">(.*?)</a>', nav.group(0), re.S)
    return {rel: (href, " ".join(re.sub(r"<[^>]+>", " ", text).split())) for rel, href, text in links}


@pytest.fixture(scope="module")
def built_handbook(module_transaction, django_db_blocker):
    with django_db_blocker.unblock():
        return build_handbook()


@pytest.fixture
def handbook(built_handbook, db):
    """The module's handbook (``build_handbook``), copies of its pages: a test may change and publish them."""
    return copy.deepcopy(built_handbook)


def build_handbook():
    """A handbook of three live chapters and a draft between the second and the third, in English and Arabic."""
    arabic = Locale.objects.get(language_code="ar")
    book = publish(HandbookPageFactory(parent=HomePage.objects.get(locale__language_code="en"), slug="reading"))
    publish(book.copy_for_translation(arabic))
    chapters = []
    for number, (title, arabic_title) in enumerate(
        [
            ("First steps", "الخطوات الأولى"),
            ("Second look", "نظرة ثانية"),
            ("Draft", None),
            ("Last word", "الكلمة الأخيرة"),
        ]
    ):
        chapter = ChapterPageFactory(parent=book, title=title, slug=f"chapter-{number}")
        if arabic_title is None:
            chapter.save_revision()  # a draft, never published: readers never reach it
            chapter.unpublish()
            continue
        publish(chapter)
        translated = chapter.copy_for_translation(arabic)
        translated.title = arabic_title
        chapters.append((chapter, publish(translated)))
    return chapters


def test_chapters_link_to_their_neighbours_and_stop_at_either_end(client, handbook):
    (first, _), (second, _), (last, _) = handbook
    assert chapter_nav(client.get(first.url).content.decode()) == {"next": (second.url, "Next chapter → Second look")}
    assert chapter_nav(client.get(second.url).content.decode()) == {
        "prev": (first.url, "← Previous chapter First steps"),
        "next": (last.url, "Next chapter → Last word"),  # the draft in between is skipped
    }
    assert chapter_nav(client.get(last.url).content.decode()) == {
        "prev": (second.url, "← Previous chapter Second look")
    }


def test_a_neighbour_given_a_new_slug_is_linked_at_its_new_address_on_the_next_request(client, handbook):
    """The addresses of the pages a page links to are kept while the page tree is unchanged
    (core/templatetags/site_tags.py ``page_link``): a new slug changes the tree, and the link follows at once."""
    (first, _), (second, _), _last = handbook
    for _ in range(2):  # the second request is answered from what the first kept
        assert chapter_nav(client.get(first.url).content.decode())["next"][0] == second.url
    second.slug = "second-look-renamed"
    second = publish(second)
    assert second.url.endswith("/second-look-renamed/")
    assert chapter_nav(client.get(first.url).content.decode())["next"][0] == second.url


def test_arabic_chapters_link_to_arabic_chapters_in_arabic(client, handbook):
    (_, first), (_, second), (_, last) = handbook
    nav = chapter_nav(unescape(client.get(second.url).content.decode()))
    assert nav == {
        "prev": (first.url, "← الفصل السابق الخطوات الأولى"),
        "next": (last.url, "الفصل التالي → الكلمة الأخيرة"),
    }
    # The arrows are the same characters in both directions; the stylesheet mirrors them right to left.
    assert re.search(r'\[dir="rtl"\] \.chapter-nav__arrow \{[^}]*transform: scaleX\(-1\)', STYLESHEET.read_text())


def test_the_table_of_contents_links_to_the_headings_of_the_chapter(client, handbook):
    (chapter, arabic), _second, _last = handbook
    sections = ["Why it matters", "What works", "Why it matters"]  # two headings may read the same
    chapter.body = [
        item for heading in sections for item in (("heading", {"text": heading}), ("paragraph", "<p>Text.</p>"))
    ]
    publish(chapter)
    arabic.body = [("heading", {"text": "لماذا يهم ذلك"}), ("heading", {"text": "ما الذي ينجح"})]
    publish(arabic)
    for page, count in [(chapter, 3), (arabic, 2)]:
        html = unescape(client.get(page.url).content.decode())
        toc = re.search(r'<nav class="chapter-toc" aria-labelledby="toc-title">.*?</nav>', html, re.S).group(0)
        targets = re.findall(r'<a href="#([^"]+)">', toc)
        ids = re.findall(r'<h2 class="block-heading" id="([^"]+)">', html)
        assert len(targets) == count and targets == ids and len(set(ids)) == count
        assert all(html.count(f'id="{target}"') == 1 for target in targets)
    assert targets == ["لماذا-يهم-ذلك", "ما-الذي-ينجح"]


def test_the_about_page_has_real_headings_a_quotation_and_a_list(client):
    blocks = [
        {"heading": {"en": "Mandate", "ar": "الولاية"}},
        {"paragraph": {"en": "The Centre promotes cooperation.", "ar": "يشجع المركز التعاون."}},
        {
            "quote": {"en": "Every country has something to share.", "ar": "لكل بلد ما يشارك فيه."},
            "attribution": {"en": "The Secretary-General", "ar": "الأمين العام"},
        },
        {"list": [{"en": "Stronger capacity", "ar": "قدرة أقوى"}, {"en": "Better exchanges", "ar": "تبادلات أفضل"}]},
    ]
    home = HomePage.objects.get(locale__language_code="en")
    about = publish(AboutPageFactory(parent=home, slug="about-reading", body=about_body(blocks)))
    html = client.get(about.url).content.decode()
    assert '<h2 class="block-heading" id="mandate">Mandate</h2>' in html
    assert "<blockquote><p>Every country has something to share.</p></blockquote>" in html
    assert "<figcaption>The Secretary-General</figcaption>" in html
    assert "<ul><li>Stronger capacity</li><li>Better exchanges</li></ul>" in html


# --- keyboard focus --------------------------------------------------------------------------------------------


def relative_luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other):
    lighter, darker = sorted([relative_luminance(one), relative_luminance(other)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_keyboard_focus_is_visible_on_every_background_of_the_site():
    css = STYLESHEET.read_text()
    colours = dict(re.findall(r"--([\w-]+): (#[0-9a-f]{6});", css))
    rule = re.search(r"^:focus-visible \{([^}]*)\}", css, re.M)
    assert rule, "no site-wide :focus-visible rule"

    def colour(value):
        value = value.strip()
        return colours[value[6:-1]] if value.startswith("var(") else {"#fff": "#ffffff"}.get(value, value)

    outline = re.search(r"outline: (\d+)px solid ([^;]+);", rule.group(1))
    ring = re.search(r"box-shadow: 0 0 0 (\d+)px ([^;]+);", rule.group(1))
    assert int(outline.group(1)) >= 2 and int(ring.group(1)) >= 2
    rings = [colour(outline.group(2)), colour(ring.group(2))]
    # The backgrounds: the page, the panels, the header, the navigation bar, the footer.
    for background in ["#ffffff", colours["paper"], colours["blue"], colours["blue-dark"], colours["ink"]]:
        assert max(contrast(ring_colour, background) for ring_colour in rings) >= 3, background
    assert "outline: none" not in css and "outline: 0" not in css
