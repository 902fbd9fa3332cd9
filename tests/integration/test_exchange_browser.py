"""The exchange request form in Arabic, in Chromium on a phone: right-to-left, nothing wider than the screen
(the form, its choices and its error messages), no serious accessibility violation; a form sent back with a
mistake shows the message in Arabic and keeps what the reader typed. Nothing is saved (the form is refused)."""

import pytest

from .test_browser import AXE_SERIOUS, NO_OVERFLOW

pytestmark = pytest.mark.django_db


def test_the_arabic_exchange_form_reads_right_to_left_without_overflow(reader):
    page = reader(375)
    response = page.goto("/ar/exchange/")
    assert response.status == 200
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "طلب تبادل"
    overflow = page.evaluate(NO_OVERFLOW)
    assert overflow["scroll"] <= overflow["width"] and not overflow["wide"], overflow
    # Labels start on the right, as Arabic reads.
    label = page.locator('label[for="id_title"]').evaluate(
        "(el) => ({direction: getComputedStyle(el).direction, right: el.getBoundingClientRect().right,"
        " width: document.documentElement.clientWidth})"
    )
    assert label["direction"] == "rtl" and label["width"] - label["right"] < 60, label
    assert page.evaluate(AXE_SERIOUS) == []

    # A mistake: the e-mail is wrong. The message is Arabic, what was typed stays.
    page.fill("#id_title", "إعادة إدماج العائدين")
    page.fill("#id_institution", "وزارة الداخلية")
    page.fill("#id_email", "ليس-عنوانًا")
    page.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("#id_title").input_value() == "إعادة إدماج العائدين"
    assert page.locator("#id_institution").input_value() == "وزارة الداخلية"
    errors = page.locator(".form-field__error, .form-errors").all_inner_texts()
    assert errors and all(not text.isascii() for text in errors), errors
    overflow = page.evaluate(NO_OVERFLOW)
    assert overflow["scroll"] <= overflow["width"] and not overflow["wide"], overflow
