"""The account page: every role saves its settings, and so changes its admin language, though the demo's and many
real people's accounts have no last name (accounts/account.py); administrators create such accounts too."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """What a browser would submit from the account page's form, untouched: inputs, checked boxes, selections."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._form = {}, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("enctype") == "multipart/form-data":
            self._form = True
        if not self._form or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in {"checkbox", "radio", "file", "submit"}:
            self.data[attrs["name"]] = attrs.get("value", "")
        elif tag == "input" and attrs.get("type") in {"checkbox", "radio"} and "checked" in attrs:
            self.data[attrs["name"]] = attrs.get("value", "on")
        elif tag == "select":
            self._select = attrs["name"]
            self.data.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form":
            self._form = False


@pytest.mark.parametrize(
    "groups,superuser",
    [
        (["Editors"], False),
        (["Moderators"], False),
        (["Translators", "Translators: ar"], False),
        (["Reviewers"], False),
        (["Site administrators"], False),
        ([], True),
    ],
)
def test_each_role_changes_its_admin_language_on_the_account_page(client, groups, superuser):
    user = UserFactory(groups=groups, is_superuser=superuser)  # a single name: no last name
    client.force_login(user)
    page = client.get(reverse("wagtailadmin_account"))
    form = FormFields()
    form.feed(page.content.decode())
    assert form.data["name_email-first_name"] == "Amina" and form.data["name_email-last_name"] == ""
    saved = client.post(reverse("wagtailadmin_account"), {**form.data, "locale-preferred_language": "ar"})
    assert saved.status_code == 302, re.findall(r'class="error-message">\s*<p>([^<]+)', saved.content.decode())
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '<html lang="ar" dir="rtl"' in dashboard
    user.wagtail_userprofile.refresh_from_db()
    assert user.wagtail_userprofile.preferred_language == "ar"


def test_an_administrator_creates_and_edits_an_account_without_a_last_name(client):
    client.force_login(UserFactory(groups=["Site administrators"]))
    fields = {"username": "mononym", "email": "mononym@example.org", "first_name": "Sukarno", "last_name": ""}
    passwords = {"password1": "a-long-enough-passphrase", "password2": "a-long-enough-passphrase"}
    created = client.post(reverse("wagtailusers_users:add"), {**fields, **passwords})
    assert created.status_code == 302, created.content.decode()[:2000]
    user = get_user_model().objects.get(username="mononym")
    assert user.last_name == ""
    edited = client.post(reverse("wagtailusers_users:edit", args=[user.pk]), {**fields, "first_name": "Sukarno S."})
    assert edited.status_code == 302
    user.refresh_from_db()
    assert user.first_name == "Sukarno S."
