"""The Arabic coverage page in Chromium, on a phone (375 px) and a desktop (1280 px): right to left, nothing wider
than the screen (the map and the chart scale down; the tables fit), the bar chart mirrored, and no serious or
critical accessibility violation (axe-core, at both widths). A failure leaves a
screenshot in tests/artifacts/ (conftest)."""

import pytest

from handbook.models import CoveragePage

from .test_browser import AXE_SERIOUS, NO_OVERFLOW

pytestmark = pytest.mark.django_db

# Where the chart's first bar starts and its label ends, relative to the chart: mirrored in Arabic.
CHART_SIDES = """() => {
    const chart = document.querySelector('.coverage__chart').getBoundingClientRect();
    const bar = document.querySelector('.coverage__chart rect').getBoundingClientRect();
    const label = document.querySelector('.coverage__chart text').getBoundingClientRect();
    return {barRight: chart.right - bar.right, barLeft: bar.left - chart.left, labelLeft: label.left - chart.left,
            labelRight: chart.right - label.right};
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_arabic_coverage_page(reader, width):
    page = reader(width)
    response = page.goto(CoveragePage.objects.live().get(locale__language_code="ar").url)
    assert response.status == 200

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".coverage__map path").count() > 150
    assert page.locator(".coverage__table tbody tr").count() >= 2
    overflow = page.evaluate(NO_OVERFLOW)
    assert overflow["scroll"] <= overflow["width"], overflow
    assert not overflow["wide"], overflow
    sides = page.evaluate(CHART_SIDES)
    assert sides["labelRight"] < sides["labelLeft"], sides  # the pillar label on the right
    assert sides["barRight"] < sides["barLeft"], sides  # the bar grows from the right, next to its label
    assert page.evaluate(AXE_SERIOUS) == []
