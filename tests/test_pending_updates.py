"""The admin's "Search index updates" screen: what the engine missed while it was down, for site administrators,
with a replay button that says what happened. (Replaying into a running engine: the integration layer's
engine-down test.)"""

import pytest
from django.contrib.auth import get_user_model

from handbook.models import CaseStudyPage
from search.backends import search_backends_from_env
from search.models import PendingIndexUpdate

from .test_health import closed_port

URL = "/admin/search/pending-updates/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def engine_down(settings):
    settings.WAGTAILSEARCH_BACKENDS = search_backends_from_env(
        {"SEARCH_BACKEND": "elasticsearch7", "SEARCH_URL": f"http://127.0.0.1:{closed_port()}", "SEARCH_TIMEOUT": "1"}
    )


def signed_in(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_site_administrators_see_what_the_engine_missed_and_a_failed_replay_keeps_it(client, engine_down):
    practice = CaseStudyPage.objects.filter(locale__language_code="en").first()
    practice.title = "Quokka island dialogue"
    practice.save_revision().publish()
    assert PendingIndexUpdate.objects.filter(object_id=str(practice.pk), backend_name="engine-en").exists()

    webmaster = signed_in(client, "webmaster")
    assert URL in webmaster.get("/admin/").content.decode()  # the Settings menu offers it
    body = webmaster.get(URL).content.decode()
    assert "Quokka island dialogue" in body
    assert f'data-object-id="{practice.pk}"' in body

    response = webmaster.post(URL, follow=True)
    body = response.content.decode()
    assert "the search engine did not answer" in body
    assert "Still pending: 1." in body
    assert "Quokka island dialogue" in body  # nothing was lost


def test_nothing_pending_says_so(client):
    body = signed_in(client, "webmaster").get(URL).content.decode()
    assert "No pending updates" in body
    assert "Replay now" not in body


@pytest.mark.parametrize("username", ["editor", "moderator", "translator"])
def test_other_roles_are_not_offered_it_and_are_told_why(client, username):
    user_client = signed_in(client, username)
    assert URL not in user_client.get("/admin/").content.decode()
    response = user_client.get(URL)
    assert response.status_code == 403
    assert "for site administrators" in response.content.decode()
    assert user_client.post(URL).status_code == 403
