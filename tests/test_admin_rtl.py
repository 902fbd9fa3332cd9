"""The Wagtail admin in Arabic for an Arabic-speaking editor, and Arabic typed into an English admin shown
right-to-left."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from wagtail.users.models import UserProfile

pytestmark = pytest.mark.django_db


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


def test_admin_language_is_each_users_preference(client, users):
    editor = users["editor"]
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "ar"
    profile.save()
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert 'lang="ar"' in html_tag(response)
    assert 'dir="rtl"' in html_tag(response)
    # The project's own admin screens are in Arabic too.
    dashboard = client.get(reverse("translations_status")).content.decode()
    assert "حالة الترجمة" in dashboard  # "Translation status"
    assert "المجاميع حسب اللغة" in dashboard  # "Totals per language"
    # Another user keeps an English, left-to-right admin.
    client.force_login(users["moderator"])
    tag = html_tag(client.get(reverse("wagtailadmin_home")))
    assert 'lang="en"' in tag
    assert 'dir="ltr"' in tag


def test_text_inputs_follow_the_direction_of_what_is_typed(client, users):
    client.force_login(users["editor"])
    from news.models import NewsPage

    page = NewsPage.objects.filter(locale__language_code="en").first()
    body = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    match = re.search(r'<link rel="stylesheet" href="([^"]*translations/css/admin-bidi\.css)">', body)
    assert match, "the admin bidi stylesheet is on every admin page"
    css = Path(finders.find("translations/css/admin-bidi.css")).read_text()
    assert re.search(r"textarea[^{]*\{[^}]*unicode-bidi:\s*plaintext", css, re.S)
    assert re.search(r'input\[type="text"\][^{]*\{[^}]*unicode-bidi:\s*plaintext', css, re.S)
