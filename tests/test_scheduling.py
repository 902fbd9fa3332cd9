"""Scheduling that cannot be misread: times are the programme office's (New York) unless a user chose another zone,
the admin names the zone next to every go-live and expiry time, and a news item's own date is labelled as the date
readers see, not its publication time."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from news.factories import NewsPageFactory
from news.models import NewsIndexPage

pytestmark = pytest.mark.django_db

GO_LIVE = datetime.datetime(2027, 1, 15, 14, 0, tzinfo=datetime.UTC)  # 9 a.m. in New York (EST)


def news_item(**kwargs):
    return NewsPageFactory(parent=NewsIndexPage.objects.get(locale=Locale.objects.get(language_code="en")), **kwargs)


def edit_page(client, user, page, language="en", time_zone=""):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language, profile.current_time_zone = language, time_zone
    profile.save()
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_office_time_zone_is_new_york():
    assert settings.TIME_ZONE == "America/New_York"
    assert settings.USE_TZ


@pytest.mark.parametrize(
    ("language", "label", "zone"),
    [("en", "Time zone:", "United States (New York) Time"), ("ar", "المنطقة الزمنية:", "نيويورك")],
)
def test_schedule_dialog_names_the_time_zone(client, users, language, label, zone):
    html = edit_page(client, users["editor"], news_item(), language)
    dialog = html[html.index('id="schedule-publishing-dialog"') :]
    for field in ("go_live_at", "expire_at"):
        after_input = dialog[dialog.index(f'name="{field}"') :]
        note = after_input[after_input.index("data-time-zone") : after_input.index("</p>")]
        assert label in note and zone in note, note


def test_schedule_dialog_follows_the_users_own_time_zone(client, users):
    html = edit_page(client, users["editor"], news_item(), time_zone="Africa/Nairobi")
    assert "Kenya Time (GMT+03:00)" in html


def test_status_panel_shows_go_live_with_its_time_zone(client, users):
    page = news_item()
    page.go_live_at = GO_LIVE
    page.save_revision(user=users["admin"]).publish(user=users["admin"])  # a scheduled revision
    html = edit_page(client, users["editor"], page)
    assert "Go-live:</span> Jan. 15, 2027, 9 a.m. EST" in html
    html = edit_page(client, users["editor"], page, time_zone="Africa/Nairobi")
    assert "Go-live:</span> Jan. 15, 2027, 5 p.m. EAT" in html


def test_news_date_is_labelled_as_the_date_readers_see(client, users):
    html = edit_page(client, users["editor"], news_item())
    assert "Date and place shown to readers" in html
    assert "Date shown to readers" in html
    assert "It does not publish the page: to choose when the page goes live, set a publishing schedule." in html
    assert "Last day of the event" in html
    assert "Place of the event" in html
    assert "Events only, shown to readers: city and country." in html
