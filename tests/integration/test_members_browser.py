"""The members' sign-up page in Arabic, in Chromium on a phone: right-to-left, nothing wider than the screen (the
form, the password rules, the error messages), no serious accessibility violation; a form sent back with a mistake
shows the messages in Arabic and keeps what the reader typed. Nothing is saved (the form is refused)."""

import pytest

from .test_browser import AXE_SERIOUS, NO_OVERFLOW

pytestmark = pytest.mark.django_db


def test_the_arabic_sign_up_page_reads_right_to_left_without_overflow(reader):
    page = reader(375)
    response = page.goto("/ar/members/signup/")
    assert response.status == 200
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "الانضمام بصفة عضو"
    overflow = page.evaluate(NO_OVERFLOW)
    assert overflow["scroll"] <= overflow["width"] and not overflow["wide"], overflow
    label = page.locator('label[for="id_full_name"]').evaluate(
        "(el) => ({direction: getComputedStyle(el).direction, right: el.getBoundingClientRect().right,"
        " width: document.documentElement.clientWidth})"
    )
    assert label["direction"] == "rtl" and label["width"] - label["right"] < 60, label
    assert page.evaluate(AXE_SERIOUS) == []

    # Mistakes: the passwords differ. The messages are Arabic, what was typed stays, still no overflow.
    page.fill("#id_full_name", "نادية مثال")
    page.fill("#id_organisation", "وزارة العدل")
    page.fill("#id_email", "nadia@example.org")
    page.fill("#id_password1", "a-long-member-passphrase")
    page.fill("#id_password2", "another-long-passphrase")
    page.locator(".member-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_full_name").input_value() == "نادية مثال"
    assert page.locator("#id_organisation").input_value() == "وزارة العدل"
    errors = page.locator(".form-field__error, .form-errors").all_inner_texts()
    assert errors and all(not text.isascii() for text in errors), errors
    overflow = page.evaluate(NO_OVERFLOW)
    assert overflow["scroll"] <= overflow["width"] and not overflow["wide"], overflow
    assert page.evaluate(AXE_SERIOUS) == []
