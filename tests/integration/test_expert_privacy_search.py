"""On the real engine, an expert's name finds the practices that link to them only while the expert's profile is
public: a restricted expert is never found (nor offered as "Did you mean") by an anonymous reader, a public one is,
and withdrawing consent takes the name out of the index at once (the practices are re-indexed when the decision is
recorded).

The practice is built with the factories (a marker name no demo content uses), published in English and Arabic, and
taken out of both indexes when the test ends. The expert themselves is a search result of its own type for the
readers ``visible_to`` allows (``search.directory``), whichever backend answers for pages: checked here with the
engine answering.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import Locale

from accounts.roles import MEMBERS
from handbook.factories import CaseStudyPageFactory, ExpertFactory
from handbook.models import CaseStudyIndexPage, Country
from handbook.models.people import Visibility

from .test_search import Engine, result_ids

pytestmark = [pytest.mark.django_db, pytest.mark.engine]
MARKER = "Ossiphrandel"


@pytest.fixture
def practice():
    english = Locale.objects.get(language_code="en")
    expert = ExpertFactory(
        name=MARKER, role="Mediator", country=Country.objects.get(code="KE"), visibility=Visibility.MEMBERS
    )
    page = CaseStudyPageFactory.build(
        title="Lakeside elders' council",
        summary="Elders and young people meet by the lake.",
        locale=english,
        slug="expert-privacy-search",
        implementing_country=Country.objects.get(code="KE"),
    )
    page.experts = [expert]
    CaseStudyIndexPage.objects.get(locale=english).add_child(instance=page)
    page.save_revision().publish()
    arabic = page.copy_for_translation(Locale.objects.get(language_code="ar"), copy_parents=True)
    arabic.save_revision().publish()
    engine = Engine()
    engine.refresh()
    yield {"expert": expert, "en": page, "ar": arabic, "engine": engine}
    engine.backend("en").delete(page)
    engine.backend("ar").delete(arabic)


def found(client, practice):
    return {
        language: practice[language].pk in result_ids(client, f"/{language}/search/?q={MARKER}")
        for language in ("en", "ar")
    }


def expert_shown(client, language):
    """Whether the search page (the engine answering for pages) lists the marker expert as an expert result, or
    offers the expert type in its facet."""
    html = client.get(f"/{language}/search/?q={MARKER}").content.decode()
    return 'data-result-type="expert"' in html or 'data-code="expert"' in html


def test_a_restricted_expert_is_never_found_and_withdrawal_takes_a_public_one_out(
    client, practice, django_capture_on_commit_callbacks
):
    expert, engine = practice["expert"], practice["engine"]
    assert found(client, practice) == {"en": False, "ar": False}
    assert not expert_shown(client, "en") and not expert_shown(client, "ar")
    suggestions = client.get(f"/en/search/suggest/?q={MARKER[:6]}").json()["results"]
    assert MARKER not in repr(suggestions)
    misspelt = f"/en/search/?q={MARKER[:-1]}x"
    assert MARKER not in client.get(misspelt).content.decode()  # no "Did you mean" with the name either
    # A registered member finds the members-only expert as an expert result, but never the practice by the name:
    # the engine's index is shared by every reader and holds public experts' names only.
    member = get_user_model().objects.create_user("engine-member", password="unused-password-1")
    member.groups.add(Group.objects.get(name=MEMBERS))
    members_client = Client()
    members_client.force_login(member)
    assert expert_shown(members_client, "en") and expert_shown(members_client, "ar")
    assert found(members_client, practice) == {"en": False, "ar": False}
    assert MARKER in repr(members_client.get(f"/ar/search/suggest/?q={MARKER[:6]}").json()["results"])

    with django_capture_on_commit_callbacks(execute=True):
        expert.record_consent(Visibility.PUBLIC, recorded_by=None)
    engine.refresh()
    assert found(client, practice) == {"en": True, "ar": True}  # the same query can find it: the test can fail
    assert "data-suggestion><bdi>" + MARKER in client.get(misspelt).content.decode()
    assert expert_shown(client, "en") and expert_shown(client, "ar")

    with django_capture_on_commit_callbacks(execute=True):
        expert.withdraw_consent(recorded_by=None)
    engine.refresh()
    assert found(client, practice) == {"en": False, "ar": False}
    assert not expert_shown(client, "en") and not expert_shown(members_client, "en")
    assert practice["en"].pk not in engine.search_index("en", MARKER)
