"""An expert's name in the reader's script: a translation overrides the synchronised ``name`` in wagtail-localize
(``demo.loader.translate_instance``, which the demo loader uses), and the profile shows it with the Latin
transliteration beside it, each marked for bidi and language."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource

from demo.loader import translate_instance
from handbook.factories import ExpertFactory
from handbook.models.people import Expert

pytestmark = pytest.mark.django_db
LATIN = "Zarifa Sample-Qorvani"  # invented, in no other row
ARABIC = "ظريفة سامبل-قورفاني"


def test_the_arabic_profile_shows_the_overridden_arabic_name_with_the_latin_one_and_a_sync_keeps_it(client):
    expert = ExpertFactory(name=LATIN, name_latin=LATIN, bio="Invented for this test.")
    arabic = Locale.objects.get(language_code="ar")
    translate_instance(expert, arabic, {"Invented for this test.": "شخصية متخيَّلة لهذا الاختبار."}, {"name": ARABIC})

    html = client.get(f"/ar/experts/{expert.translation_key}/").content.decode()
    assert f"<h1><bdi>{ARABIC}</bdi></h1>" in html
    assert f'<p class="lead" lang="en" dir="ltr">{LATIN}</p>' in html
    assert "شخصية متخيَّلة لهذا الاختبار." in html
    english = client.get(f"/en/experts/{expert.translation_key}/").content.decode()
    assert f"<h1><bdi>{LATIN}</bdi></h1>" in english and ARABIC not in english

    # The source changes and the translation is synced again: the translator's name stays.
    expert.role = "Mediator"
    expert.save()
    source = TranslationSource.objects.get_for_instance(expert)
    source.update_from_db()
    source.translations.get(target_locale=arabic).save_target(publish=True)
    translated = Expert.objects.get(translation_key=expert.translation_key, locale=arabic)
    assert (translated.name, translated.name_latin, translated.role) == (ARABIC, LATIN, "Mediator")


def test_only_an_overridable_field_can_be_overridden():
    expert = ExpertFactory(name=LATIN, name_latin=LATIN)
    with pytest.raises(ValueError, match="Expert.email is not an overridable field"):
        translate_instance(expert, Locale.objects.get(language_code="ar"), {}, {"email": "x@example.org"})
