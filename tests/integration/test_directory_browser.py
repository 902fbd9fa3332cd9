"""The Arabic pages of the exchange half of the platform not already covered elsewhere, in Chromium on a phone
(375 px), one page load each: an expert's profile, the centres directory, and the search page listing a centre as a
result of its own type. Each reads right to left, nothing is wider than the screen, and axe finds no serious or
critical violation. (The experts directory and a centre's page are in ``test_browser.py``, the exchange request
form in ``test_exchange_browser.py``.)"""

import pytest
from django.urls import reverse
from django.utils import translation

from handbook.models import CentreOfExcellence, Expert

from .test_browser import AXE_SERIOUS, NO_OVERFLOW

pytestmark = pytest.mark.django_db


def arabic_path(name):
    expert = Expert.objects.public().filter(locale__language_code="en").order_by("pk").first()
    centre = CentreOfExcellence.objects.filter(locale__language_code="ar").order_by("pk").first()
    with translation.override("ar"):
        return {
            "expert-profile": reverse("expert_profile", args=[expert.translation_key]),
            "centre-directory": reverse("centre_directory"),
            # The centre's Arabic name finds it (and, with it, whatever else carries the words).
            "search-centre": f"{reverse('search')}?q={centre.name}",
        }[name]


@pytest.mark.parametrize("name", ["expert-profile", "centre-directory", "search-centre"])
def test_arabic_directory_pages_read_right_to_left_without_overflow_or_serious_violations(reader, name):
    page = reader(375)
    response = page.goto(arabic_path(name))
    assert response.status == 200
    assert page.locator("html").get_attribute("dir") == "rtl"
    if name == "search-centre":
        assert page.locator('.result--directory[data-result-type="centre"]').count() >= 1
    overflow = page.evaluate(NO_OVERFLOW)
    assert overflow["scroll"] <= overflow["width"] and not overflow["wide"], overflow
    assert page.evaluate(AXE_SERIOUS) == []
