"""Forms editors can fill in (issue 8), through the admin's own add and edit views.

Links are checkboxes listing each term, expert or centre once, labelled in the page's language and isolated for
bidi; countries are sorted as readers of the editor's language sort them; the safeguards section is the four items
the reviewer checks, each required; images in a body take their alternative text from the image's description;
the document upload lists the allowed formats; fields with a limit get a character counter.
"""

import re
from html import unescape

import pytest
import wagtail_factories
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from handbook.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    CentreFactory,
    CountryFactory,
    ExpertFactory,
    TermFactory,
)
from handbook.models import CaseStudyPage, ChapterPage, Term
from handbook.models.review import SAFEGUARDS, SafeguardsChecklistForm
from home.models import HomePage
from news.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db


def add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))


def speaking(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def checkbox_labels(html, name):
    """The labels of the checkboxes called ``name``, in the order shown."""
    pattern = rf'<input type="checkbox" name="{name}" value="\d+"[^>]*>\s*<bdi>(.*?)</bdi>'
    return [unescape(label) for label in re.findall(pattern, html)]


def select_options(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [unescape(label).strip() for label in re.findall(r"<option value=\"\d+\"[^>]*>(.*?)</option>", select)]


def form_errors(response):
    html = response.content.decode()
    return [
        re.sub(r"\s+", " ", html[max(0, m.start() - 600) : m.end() + 200]) for m in re.finditer("error-message", html)
    ]


@pytest.fixture
def locales():
    return {code: Locale.objects.get(language_code=code) for code in ["en", "ar"]}


@pytest.fixture
def listings(locales):
    """A practice listing in English and its Arabic counterpart, built for the test."""
    english_home = HomePage.objects.get(locale=locales["en"])
    arabic_home = HomePage.objects.get(locale=locales["ar"])
    english = CaseStudyIndexPageFactory(parent=english_home, title="Test practices", slug="test-practices")
    arabic = CaseStudyIndexPageFactory(parent=arabic_home, title="ممارسات الاختبار", slug="test-practices")
    return {"en": english, "ar": arabic}


@pytest.fixture
def translated_links(locales):
    """A theme, an expert and a centre, each in English and Arabic."""
    theme = TermFactory(vocabulary="theme", code="forms-border-dialogue", name="Border dialogue", sort_order=99)
    expert = ExpertFactory(name="Amina Test-Diallo")
    centre = CentreFactory(name="Sahel Test Centre")
    arabic_theme = theme.copy_for_translation(locales["ar"])
    arabic_theme.name = "الحوار الحدودي"
    arabic_theme.save()
    arabic_expert = expert.copy_for_translation(locales["ar"])
    arabic_expert.name = "أمينة ديالو"
    arabic_expert.save()
    arabic_centre = centre.copy_for_translation(locales["ar"])
    arabic_centre.name = "مركز الساحل للاختبار"
    arabic_centre.save()
    return {"theme": theme, "expert": expert, "centre": centre}


# --- links: checkboxes, each item once, in the page's language -------------------------------------------------


def test_an_arabic_case_study_offers_each_link_once_labelled_in_arabic(client, users, listings, translated_links):
    client.force_login(users["admin"])
    html = client.get(add_url(CaseStudyPage, listings["ar"])).content.decode()

    themes = checkbox_labels(html, "themes")
    assert themes.count("الحوار الحدودي") == 1
    assert "Border dialogue" not in themes
    assert len(themes) == len(set(themes))  # no term listed once per language
    assert checkbox_labels(html, "experts").count("أمينة ديالو") == 1
    assert "Amina Test-Diallo" not in html
    assert checkbox_labels(html, "centres").count("مركز الساحل للاختبار") == 1


def test_an_english_case_study_offers_the_english_labels_once(client, users, listings, translated_links):
    client.force_login(users["admin"])
    html = client.get(add_url(CaseStudyPage, listings["en"])).content.decode()

    assert checkbox_labels(html, "themes").count("Border dialogue") == 1
    assert "الحوار الحدودي" not in html
    assert checkbox_labels(html, "experts").count("Amina Test-Diallo") == 1
    pillars = checkbox_labels(html, "pillars")
    # One checkbox per pillar, however many languages the pillars are translated into.
    assert len(pillars) == len(set(pillars)) == 4


def test_taxonomy_labels_read_right_in_the_arabic_admin(client, users, listings):
    """The Arabic admin used to show "(الركيزة) Addressing…": the label is now the term alone, bidi-isolated."""
    client.force_login(speaking(users["admin"], "ar"))
    html = client.get(add_url(CaseStudyPage, listings["en"])).content.decode()

    pillars = checkbox_labels(html, "pillars")
    first = Term.objects.filter(vocabulary="pillar", locale__language_code="en").order_by("sort_order").first()
    assert pillars[0] == first.name  # the English page's term, not its Arabic translation
    assert first.get_translation(Locale.objects.get(language_code="ar")).name not in pillars
    assert all("(" not in label and "الركيزة" not in label for label in pillars)


def test_linked_terms_are_kept_when_an_arabic_case_study_is_saved(client, users, listings, translated_links):
    """What an editor ticks on the Arabic page is saved: the link goes to the term, shown in Arabic."""
    client.force_login(users["moderator"])
    country = CountryFactory(code="TD", region=TermFactory(vocabulary="region", code="forms-region"))
    pillar = CaseStudyPage._meta.get_field("pillars").related_model.objects.get(
        vocabulary="pillar", code="I", locale__language_code="en"
    )
    links = {"themes": [translated_links["theme"].pk], "experts": [translated_links["expert"].pk]}
    data = practice_form_data(country, pillar, links)
    response = client.post(add_url(CaseStudyPage, listings["ar"]), data)
    assert response.status_code == 302, form_errors(response)
    page = CaseStudyPage.objects.get(slug="forms-practice", locale__language_code="ar")
    assert list(page.themes.all()) == [translated_links["theme"]]
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert re.search(r'<input type="checkbox" name="themes" value="\d+"[^>]*checked[^>]*>\s*<bdi>الحوار الحدودي', edit)


# --- countries: sorted by their name in the editor's language ---------------------------------------------------


@pytest.fixture
def countries():
    region = TermFactory(vocabulary="region", code="forms-test-region", name="Test region")
    return [CountryFactory(code=code, region=region) for code in ["UG", "JO", "ET", "MA", "EG", "ES", "ZM"]]


def test_countries_follow_arabic_alphabetical_order_in_the_arabic_admin(client, users, listings, countries):
    """UN Arabic order: alif with hamza sorts as alif, the article "ال" is ignored. Code-point order would put
    أوغندا before إثيوبيا and الأردن, and المغرب before مصر."""
    client.force_login(speaking(users["admin"], "ar"))
    html = client.get(add_url(CaseStudyPage, listings["en"])).content.decode()

    expected = ["إثيوبيا", "الأردن", "أوغندا", "مصر", "المغرب"]
    for name in ["implementing_country"]:
        shown = [label for label in select_options(html, name) if label in expected]
        assert shown == expected
        assert sorted(expected) != expected  # a plain sort would fail this test
    partners = [label for label in checkbox_labels(html, "partner_countries") if label in expected]
    assert partners == expected


def test_countries_follow_french_alphabetical_order_in_the_french_admin(client, users, listings, countries):
    client.force_login(speaking(users["admin"], "fr"))
    html = client.get(add_url(CaseStudyPage, listings["en"])).content.decode()

    expected = ["Égypte", "Espagne", "Zambie"]  # a plain sort puts "Égypte" after "Zambie"
    assert [label for label in select_options(html, "implementing_country") if label in expected] == expected


# --- the safeguards: four required items, the reviewer's checklist from the same declaration -----------------------


def practice_form_data(country, pillar, links=None, **fields):
    data = {
        "title": "Forms practice",
        "slug": "forms-practice",
        "summary": "A practice added through the admin's form.",
        "implementing_country": country.pk,
        "cooperation_level": "bilateral",
        "status": "ongoing",
        "evidence_level": "none",
        "original_language": "en",
        "review_stage": "submitted",
        "context": rich_text("Context."),
        "images": streamfield([]),
        "comments": inline_formset([]),
        **{safeguard.field_name: rich_text(f"About {safeguard.name}.") for safeguard in SAFEGUARDS},
    }
    data.update(fields)
    # Checkbox lists go as repeated keys, which nested_form_data would number instead.
    return {**nested_form_data(data), "pillars": [pillar.pk], **(links or {})}


def field_has_error(html, name):
    return bool(re.search(rf'class="w-field[^"]*w-field--error[^"]*"[^>]*data-contentpath="{name}"', html))


def test_each_of_the_four_safeguards_is_required_and_what_was_typed_is_kept(client, users, listings):
    client.force_login(users["moderator"])
    country = CountryFactory(code="TD", region=TermFactory(vocabulary="region", code="forms-region"))
    pillar = CaseStudyPage._meta.get_field("pillars").related_model.objects.get(
        vocabulary="pillar", code="I", locale__language_code="en"
    )
    data = practice_form_data(country, pillar, safeguards_data_protection=rich_text(""))
    response = client.post(add_url(CaseStudyPage, listings["en"]), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert not CaseStudyPage.objects.filter(slug="forms-practice").exists()
    assert field_has_error(html, "safeguards_data_protection")
    assert not any(field_has_error(html, name) for name in ["safeguards_legal_basis", "safeguards_gender", "title"])
    assert "About legal_basis." in html and "About gender." in html  # the other three are not lost

    response = client.post(add_url(CaseStudyPage, listings["en"]), practice_form_data(country, pillar))
    assert response.status_code == 302, form_errors(response)
    page = CaseStudyPage.objects.get(slug="forms-practice")
    assert [strip_tags(getattr(page, s.field_name)) for s in SAFEGUARDS] == [f"About {s.name}." for s in SAFEGUARDS]


def test_the_editor_and_the_reviewer_name_the_same_four_items(client, users, listings):
    client.force_login(users["admin"])
    html = client.get(add_url(CaseStudyPage, listings["en"])).content.decode()
    checklist = SafeguardsChecklistForm()
    for safeguard in SAFEGUARDS:
        field = CaseStudyPage._meta.get_field(safeguard.field_name)
        assert str(field.verbose_name) in html and str(field.help_text) in html
        assert str(checklist.fields[safeguard.name].label).startswith(f"{field.verbose_name}: ")


def test_the_four_safeguards_show_under_one_heading_on_the_public_page(client, listings):
    page = CaseStudyPageFactory(
        parent=listings["en"], implementing_country=CountryFactory(code="TD", region=TermFactory(vocabulary="region"))
    )
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    section = re.search(r'<section class="narrative narrative--safeguards">(.*?)</section>\s*</section>', html, re.S)
    assert section, "one safeguards section"
    headings = re.findall(r"<h3>(.*?)</h3>", section.group(0))
    assert headings == ["Legal basis", "Do no harm", "Data protection", "Gender"]
    assert "<h2>Human-rights and gender safeguards</h2>" in section.group(0)


def test_curation_fields_are_not_named_like_the_workflow_review(client, users, listings):
    client.force_login(users["admin"])
    html = client.get(add_url(CaseStudyPage, listings["en"])).content.decode()
    assert "Programme validation level" in html
    assert "Review stage" not in html and "review stage" not in html


# --- images in bodies ----------------------------------------------------------------------------------------------


@pytest.fixture
def described_image():
    return wagtail_factories.ImageFactory(title="IMG_0042", description="Trainees at a moot court in Dakar")


def image_block(image, alt_text=""):
    """A body's image block as the editor saves it: ImageBlock's value is the image with its alternative text."""
    image.contextual_alt_text, image.decorative = alt_text, False
    return ("image", {"image": image, "caption": "Moot court"})


def test_a_news_item_with_an_image_renders_its_description_as_alt_text(client, described_image):
    news_index = NewsIndexPage.objects.get(locale__language_code="en")
    item = NewsPage(
        title="Moot court in Dakar",
        slug="moot-court-dakar",
        date="2026-11-20",
        summary="Judges trained.",
        body=[image_block(described_image)],
    )
    news_index.add_child(instance=item)
    item.save_revision().publish()

    html = client.get(item.url).content.decode()
    image = re.search(r'<figure class="block-image">\s*<img[^>]*>', html).group(0)
    assert 'alt="Trainees at a moot court in Dakar"' in image
    assert "srcset=" in image and "sizes=" in image  # responsive renditions
    assert "<figcaption>Moot court</figcaption>" in html


def test_the_editor_suggests_the_description_as_alt_text(client, users, described_image):
    chapter = ChapterPage.objects.filter(locale__language_code="en").order_by("path").first()
    chapter.body = [image_block(described_image, alt_text="Judges at the moot court")]
    chapter.save_revision()
    client.force_login(users["editor"])
    html = unescape(client.get(reverse("wagtailadmin_pages:edit", args=(chapter.pk,))).content.decode())
    # Wagtail's ImageBlock script fills the alternative text in from the chosen image's description, which the
    # editor receives with the block's state; the editor's own wording is kept.
    assert "wagtailimages/js/image-block.js" in html
    assert '"default_alt_text": "Trainees at a moot court in Dakar"' in html
    assert "Judges at the moot court" in html


def test_case_studies_accept_images(client, listings, described_image):
    page = CaseStudyPageFactory(
        parent=listings["en"],
        implementing_country=CountryFactory(code="TD", region=TermFactory(vocabulary="region")),
        images=[image_block(described_image, alt_text="")],
    )
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert 'alt="Trainees at a moot court in Dakar"' in html


# --- uploads and counters ------------------------------------------------------------------------------------------


def test_the_document_upload_lists_the_allowed_formats(client, users):
    client.force_login(users["editor"])
    html = unescape(client.get(reverse("wagtaildocs:add_multiple")).content.decode())
    assert "Allowed formats: CSV, DOCX, ODT, PDF, PPTX, RTF, TXT, XLSX. Maximum file size: 10.0\xa0MB." in html
    single = unescape(client.get(reverse("wagtaildocs:add")).content.decode())
    assert "Allowed formats: CSV, DOCX" in single
    images = unescape(client.get(reverse("wagtailimages:add_multiple")).content.decode())
    assert "Supported formats: GIF, JPG, JPEG, PNG, WEBP" in images


def test_the_document_upload_lists_the_formats_in_arabic(client, users):
    client.force_login(speaking(users["editor"], "ar"))
    html = unescape(client.get(reverse("wagtaildocs:add_multiple")).content.decode())
    assert "الصيغ المسموح بها: CSV, DOCX" in html


def test_fields_with_a_limit_get_a_character_counter(client, users, listings):
    client.force_login(users["editor"])
    html = client.get(add_url(CaseStudyPage, listings["en"])).content.decode()
    assert re.search(r'<textarea name="summary"[^>]*maxlength="300"', html)
    assert "core/admin/character-count" in html
