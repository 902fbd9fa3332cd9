"""In Chromium, on a phone-sized Arabic page: the lead image keeps its place before its file arrives (nothing below
it moves when it loads), then shows in a modern format at the column's width, described in Arabic."""

import time

import pytest

from handbook.models import CaseStudyPage

pytestmark = pytest.mark.django_db

LEAD_IMAGE = ".lead-image img"
BOX = f"""() => {{
    const box = document.querySelector('{LEAD_IMAGE}').getBoundingClientRect();
    const next = document.querySelector('.facts').getBoundingClientRect();
    return {{width: box.width, height: box.height, below: next.top}};
}}"""


def test_the_arabic_lead_image_holds_its_place_and_shows_at_375_px(tab):
    practice = CaseStudyPage.objects.live().filter(locale__language_code="ar", lead_image__isnull=False).first()
    page = tab(375)
    held = []
    # The image files wait until the layout has been measured.
    page.route("**/media/images/**", lambda route: held.append(route))
    page.goto(practice.url, wait_until="domcontentloaded")  # "load" would wait for the held image
    assert page.evaluate(f"document.querySelector('{LEAD_IMAGE}').complete") is False
    # Web fonts arriving late reflow the text below the picture: measure once they are in, so that only the
    # picture's own loading could move anything.
    page.evaluate("document.fonts.ready.then(() => true)")
    before = page.evaluate(BOX)
    assert held, "the browser asked for no image file"

    for route in held:
        route.continue_()
    page.unroute("**/media/images/**")
    # Polled from here: wait_for_function evaluates its string with eval(), which the strict CSP refuses.
    deadline = time.monotonic() + 15
    while not page.evaluate(f"document.querySelector('{LEAD_IMAGE}').naturalWidth > 0"):
        assert time.monotonic() < deadline, "the image never arrived"
        page.wait_for_timeout(50)
    after = page.evaluate(BOX)

    assert before == after  # the width and height attributes reserved the space: nothing shifted
    ratio = practice.lead_image.height / practice.lead_image.width
    assert 300 <= after["width"] <= 375 and after["height"] == pytest.approx(after["width"] * ratio, abs=2)
    image = page.locator(LEAD_IMAGE)
    assert image.is_visible()
    assert image.get_attribute("alt") == practice.lead_image_alt
    assert page.evaluate(f"document.querySelector('{LEAD_IMAGE}').currentSrc").endswith((".avif", ".webp"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
