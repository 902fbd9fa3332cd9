"""In Chromium, a page's schema.org JSON-LD block is read as data and the strict Content-Security-Policy reports
nothing: a ``<script type="application/ld+json">`` is not script, so it needs no nonce and the policy stays as is."""

import json

import pytest

from handbook.models import ChapterPage

pytestmark = pytest.mark.django_db

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
    window.__violations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""
JSON_LD = """() => [...document.querySelectorAll('script[type="application/ld+json"]')]
    .map((element) => JSON.parse(element.textContent))"""
INLINE_SCRIPT = """() => {
    const element = document.createElement('script');
    element.textContent = 'window.__ran = true';
    document.body.append(element);
}"""


@pytest.mark.parametrize("language", ["en", "ar"])
def test_json_ld_causes_no_content_security_policy_violation(tab, language):
    chapter = ChapterPage.objects.live().filter(locale__language_code=language).first()
    page = tab(1280)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(chapter.url)
    assert response.status == 200
    assert "script-src 'self'" in response.header_value("content-security-policy")

    (data,) = page.evaluate(JSON_LD)
    assert data["@type"] == "Article"
    assert data["name"] == chapter.title
    assert data["inLanguage"] == language
    assert page.evaluate("window.__violations") == []
    assert not [text for text in console if "Content Security Policy" in text], json.dumps(console)

    # The same check does see a violation: an inline script without the nonce is refused and reported.
    page.evaluate(INLINE_SCRIPT)
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__ran") is None
