"""Every page type previews in the admin, with and without an image in its body: the preview panel (Wagtail's
``preview_on_edit`` / ``preview_on_add``: the editor's form is POSTed, then the panel GETs the rendering), "Preview
in new tab" (the same GET) and "View draft". The renderings may be framed by the admin (same origin) so the panel
shows the page instead of a refused frame; the public site keeps refusing every frame.

Pages are built with factories in a tree of their own (a home page with its own site), once for the module and
twice: without an image and with one in each body (the tests only add revisions and pages, undone after each). The
edit form is posted as a browser posts it: its fields read from the edit page's HTML, its StreamFields from the
blocks' form state (what Wagtail's JavaScript turns into inputs).
"""

import pytest
from django.urls import reverse
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Locale, Page, Site
from wagtail.test.utils.form_data import querydict_from_html
from wagtail_factories import ImageFactory, SiteFactory

from handbook.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    ChapterPageFactory,
    CountryFactory,
    HandbookPageFactory,
    TermFactory,
)
from handbook.models import CaseStudyIndexPage, CaseStudyPage, ChapterPage, HandbookPage
from home.factories import AboutPageFactory, HomePageFactory
from home.models import AboutPage, HomePage
from news.factories import NewsIndexPageFactory, NewsPageFactory
from news.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db

PAGE_MODELS = {
    "home": HomePage,
    "about": AboutPage,
    "handbook": HandbookPage,
    "chapter": ChapterPage,
    "case-study-listing": CaseStudyIndexPage,
    "case-study": CaseStudyPage,
    "news-listing": NewsIndexPage,
    "news": NewsPage,
}
PARAGRAPH = "A paragraph that the preview shows."
ALT_TEXT = "Participants of the regional workshop"


def accepts_image_block(model):
    body = model._meta.get_field("body") if any(f.name == "body" for f in model._meta.get_fields()) else None
    return isinstance(body, StreamField) and "image" in body.stream_block.child_blocks


IMAGE_PAGE_TYPES = [name for name, model in PAGE_MODELS.items() if accepts_image_block(model)]


def body(image=None):
    """A body in the stored (JSON) form: a paragraph, and an image block when ``image`` is given."""
    items = [{"type": "paragraph", "value": f"<p>{PARAGRAPH}</p>"}]
    if image is not None:
        image_value = {"image": image.pk, "alt_text": ALT_TEXT, "decorative": False}  # Wagtail's ImageBlock
        items.append({"type": "image", "value": {"image": image_value, "caption": "In Dakar"}})
    return items


def build_tree(image=None, port=8123):
    """One page of each type under a home page of its own, served by a site of its own (on ``port``)."""
    english = Locale.objects.get(language_code="en")
    home = HomePageFactory(parent=Page.get_first_root_node(), intro="Front door of the preview tree.")
    SiteFactory(hostname="localhost", port=port, root_page=home, is_default_site=False, site_name="Preview tree")
    with_body = {"body": body(image)}
    handbook = HandbookPageFactory(parent=home)
    listing = CaseStudyIndexPageFactory(parent=home)
    news_listing = NewsIndexPageFactory(parent=home)
    country = CountryFactory(code="BF", region=TermFactory(vocabulary="region", locale=english))
    case_study = CaseStudyPageFactory(
        parent=listing,
        implementing_country=country,
        pillars=[TermFactory(vocabulary="pillar", locale=english)],
        themes=[TermFactory(vocabulary="theme", locale=english, name="Community resilience")],
        **(with_body if accepts_image_block(CaseStudyPage) else {}),
    )
    return {
        "home": home,
        "about": AboutPageFactory(parent=home, **with_body),
        "handbook": handbook,
        "chapter": ChapterPageFactory(parent=handbook, **with_body),
        "case-study-listing": listing,
        "case-study": case_study,
        "news-listing": news_listing,
        "news": NewsPageFactory(parent=news_listing, **with_body),
    }


def block_form_data(block, state, prefix):
    """The inputs Wagtail's JavaScript makes of a block's form state (``Block.get_form_state``) when it posts."""
    data = {}
    if isinstance(block, blocks.StreamBlock):
        data[f"{prefix}-count"] = len(state)
        for index, child in enumerate(state):
            item = f"{prefix}-{index}"
            data |= {f"{item}-type": child["type"], f"{item}-id": child["id"] or "", f"{item}-deleted": ""}
            data[f"{item}-order"] = index
            data |= block_form_data(block.child_blocks[child["type"]], child["value"], f"{item}-value")
    elif isinstance(block, blocks.ListBlock):
        data[f"{prefix}-count"] = len(state)
        for index, child in enumerate(state):
            item = f"{prefix}-{index}"
            data |= {f"{item}-id": child["id"] or "", f"{item}-deleted": "", f"{item}-order": index}
            data |= block_form_data(block.child_block, child["value"], f"{item}-value")
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            data |= block_form_data(child_block, state.get(name), f"{prefix}-{name}")
    elif isinstance(block, blocks.BooleanBlock):
        if state:
            data[prefix] = "on"
    elif isinstance(block, (blocks.ChooserBlock, ImageChooserBlock)):
        data[prefix] = state["id"] if state else ""
    else:
        data[prefix] = "" if state is None else state
    return data


def edit_form_data(client, page):
    """What the browser posts from the page's edit form when the editor changes nothing."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            state = field.stream_block.get_form_state(getattr(page, field.name))
            for key, value in block_form_data(field.stream_block, state, field.name).items():
                data[key] = str(value)
    return data


def preview(client, url, data):
    """POST the form as the preview panel does on each change, then GET the rendering it shows."""
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.json() == {"is_valid": True, "is_available": True}
    return client.get(url, {"in_preview_panel": "true"})


def assert_framable_rendering(response, title, with_image):
    assert response.status_code == 200, response.content[:2000]
    html = response.content.decode()
    assert title in html
    # The admin's preview panel is a same-origin iframe: both policies must let our own origin frame it.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" not in response["Content-Security-Policy"]
    assert "wagtail-userbar" in html  # the Checks panel's accessibility checker and metrics run from the userbar
    if with_image:
        assert f'alt="{ALT_TEXT}"' in html
        assert "srcset=" in html and 'sizes="' in html
        assert 'width="' in html and 'height="' in html


@pytest.fixture(scope="module")
def tree_ids(module_transaction, django_db_blocker):
    """The preview tree's page ids by name, without an image (``False``) and with one (``True``): built once for
    the module (two trees of nine pages each cost seconds; each test used to build its own)."""
    with django_db_blocker.unblock():
        return {
            with_image: {name: page.pk for name, page in build_tree(image, port=port).items()}
            for with_image, image, port in ((False, None, 8123), (True, ImageFactory(), 8124))
        }


@pytest.fixture
def tree(tree_ids, db):
    """The module's tree, with or without an image: its pages read afresh, so no test sees another's in memory."""
    return lambda with_image=False: {
        name: Page.objects.get(pk=pk).specific for name, pk in tree_ids[with_image].items()
    }


@pytest.fixture(scope="module")
def read_forms():
    """The edit forms' data read so far, by page id: the trees' pages are left unchanged by every test, so each
    page's form is read once for both preview tests (an edit page costs a good part of a test)."""
    return {}


@pytest.fixture
def unchanged_form(read_forms, editor_client):
    def read(page):
        if page.pk not in read_forms:
            read_forms[page.pk] = edit_form_data(editor_client, page)
        return read_forms[page.pk].copy()

    return read


@pytest.fixture
def editor_client(client, users):
    client.force_login(users["editor"])
    return client


def test_every_page_type_has_a_factory_in_the_tree(tree):
    assert set(tree()) == set(PAGE_MODELS)
    assert {"about", "chapter", "news"} <= set(IMAGE_PAGE_TYPES)


@pytest.mark.parametrize(
    ("name", "with_image"), [(name, False) for name in PAGE_MODELS] + [(name, True) for name in IMAGE_PAGE_TYPES]
)
def test_preview_on_edit_and_view_draft(editor_client, unchanged_form, users, tree, name, with_image):
    page = tree(with_image)[name]
    data = unchanged_form(page)
    data["title"] = f"Previewed {name}"
    response = preview(editor_client, reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]), data)
    assert_framable_rendering(response, f"Previewed {name}", with_image)
    if accepts_image_block(PAGE_MODELS[name]):
        assert PARAGRAPH in response.content.decode()

    page.title = f"Draft of {name}"
    page.save_revision(user=users["editor"])
    response = editor_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert_framable_rendering(response, f"Draft of {name}", with_image)


@pytest.mark.parametrize(
    ("name", "with_image"), [(name, False) for name in PAGE_MODELS] + [(name, True) for name in IMAGE_PAGE_TYPES]
)
def test_preview_on_add(editor_client, unchanged_form, tree, name, with_image):
    pages = tree(with_image)
    model = PAGE_MODELS[name]
    # Section pages are one per home page: a new one is added under a second, empty home page.
    parent = pages[name].get_parent()
    if parent.specific_class is HomePage:
        parent = HomePageFactory(parent=Page.get_first_root_node())
    data = unchanged_form(pages[name])
    data["title"], data["slug"] = f"New {name}", f"new-{name}"
    url = reverse("wagtailadmin_pages:preview_on_add", args=[model._meta.app_label, model._meta.model_name, parent.pk])
    assert_framable_rendering(preview(editor_client, url, data), f"New {name}", with_image)


def test_case_study_draft_shows_its_own_links(editor_client, users, tree):
    """A draft's taxonomy is the draft's, not the published page's (it is read from the revision)."""
    english = Locale.objects.get(language_code="en")
    page = tree()["case-study"]
    page.themes = [TermFactory(vocabulary="theme", locale=english, name="Prison rehabilitation")]
    page.save_revision(user=users["editor"])
    html = editor_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk])).content.decode()
    assert "Prison rehabilitation" in html
    assert "Community resilience" not in html


def test_public_pages_still_refuse_every_frame(client):
    english = Locale.objects.get(language_code="en")
    # The listing of the site readers visit (the module's preview trees have listings of their own).
    listing = CaseStudyIndexPage.objects.descendant_of(Site.objects.get(is_default_site=True).root_page).get(
        locale=english
    )
    page = CaseStudyPageFactory(
        parent=listing,
        implementing_country=CountryFactory(code="BF", region=TermFactory(vocabulary="region", locale=english)),
        pillars=[TermFactory(vocabulary="pillar", locale=english)],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    assert page.title in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
