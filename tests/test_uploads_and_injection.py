"""Uploads accept only the allowed types and sizes, documents cannot run script in the site's origin, and hostile
rich text and StreamField input entered through the admin cannot inject script into the public pages."""

import io
import json
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection
from wagtail.test.utils.form_data import nested_form_data, streamfield

from handbook.models import CaseStudyPage, ChapterPage

from .admin_forms import edit_form_data

pytestmark = pytest.mark.django_db

HOSTILE_HTML = b"<html><body><script>alert(document.cookie)</script><img src=x onerror=alert(1)></body></html>"
HOSTILE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png_bytes():
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def upload_document(client, name, content, title="Upload"):
    root = Collection.get_first_root_node()
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": title, "file": SimpleUploadedFile(name, content), "collection": root.pk},
    )


def upload_image(client, name, content, title="Upload"):
    root = Collection.get_first_root_node()
    return client.post(
        reverse("wagtailimages:add"),
        {"title": title, "file": SimpleUploadedFile(name, content), "collection": root.pk},
    )


@pytest.mark.parametrize("name", ["page.html", "page.htm", "drawing.svg", "script.js", "tool.exe", "page.xhtml"])
def test_documents_of_other_types_are_refused_with_a_message(client, users, name):
    client.force_login(users["editor"])
    response = upload_document(client, name, HOSTILE_HTML, title=name)
    assert response.status_code == 200
    assert (
        "is not allowed. Allowed extensions are: csv, docx, odt, pdf, pptx, rtf, txt, xlsx."
        in response.content.decode()
    )
    assert not Document.objects.filter(title=name).exists()


def test_documents_over_the_size_limit_are_refused_with_a_message(client, users):
    client.force_login(users["editor"])
    with override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024):
        response = upload_document(client, "report.pdf", b"%PDF-1.4\n" + b"0" * 2048, title="Too big")
    assert "This file is too big (2.0\xa0KB). Maximum filesize 1.0\xa0KB." in response.content.decode()
    assert not Document.objects.filter(title="Too big").exists()
    assert upload_document(client, "report.pdf", b"%PDF-1.4\n" + b"0" * 2048, title="Fits").status_code == 302


def test_an_uploaded_document_with_html_inside_cannot_run_script_in_our_origin(client, users):
    client.force_login(users["editor"])
    assert upload_document(client, "notes.txt", HOSTILE_HTML, title="Disguised page").status_code == 302
    document = Document.objects.get(title="Disguised page")
    client.logout()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response["Content-Type"].startswith("text/html")


def test_pdfs_open_inline_but_sandboxed(client, users):
    client.force_login(users["editor"])
    upload_document(client, "guide.pdf", b"%PDF-1.4\n%hostile\n", title="Guide")
    response = client.get(Document.objects.get(title="Guide").url)
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "default-src 'none'"


@pytest.mark.parametrize(
    "name, content",
    [("drawing.svg", HOSTILE_SVG), ("photo.png", HOSTILE_HTML), ("photo.html", HOSTILE_HTML)],
)
def test_images_must_be_real_raster_images(client, users, name, content):
    client.force_login(users["editor"])
    response = upload_image(client, name, content, title=name)
    assert response.status_code == 200
    assert not Image.objects.filter(title=name).exists()
    text = response.content.decode()
    assert "Not a supported image format" in text or "Upload a valid image" in text


def test_images_over_the_size_limit_are_refused_and_real_images_accepted(client, users):
    client.force_login(users["editor"])
    with override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=10):
        response = upload_image(client, "photo.png", png_bytes(), title="Too big")
    assert "This file is too big" in response.content.decode()
    assert not Image.objects.filter(title="Too big").exists()
    assert upload_image(client, "photo.png", png_bytes(), title="Fits").status_code == 302


# --- hostile rich text and StreamField ---------------------------------------------------------------------------
def contentstate(text, url):
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 5, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
        }
    )


SCRIPT = "<script>alert('owned')</script>"
IMG = '<img src=x onerror="alert(1)">'


class ActiveContentFinder(HTMLParser):
    """Collects what a browser would execute: inline <script> elements, on* handler attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found = []
        self.structured_data = None

    def handle_starttag(self, tag, attrs):
        # JSON-LD is data a browser never runs; it must still hold nothing but JSON (a hostile title that closed
        # the element early would leave markup after it, which the checks below catch).
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self.structured_data = []
        elif tag == "script" and not dict(attrs).get("src"):
            self.found.append(("inline script", attrs))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((f"{tag} {name}", value))
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                ("javascript:", "data:text/html")
            ):
                self.found.append((f"{tag} {name}", value))

    def handle_data(self, data):
        if self.structured_data is not None:
            self.structured_data.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.structured_data is not None:
            text = "".join(self.structured_data)
            self.structured_data = None
            try:
                json.loads(text)
            except ValueError:
                self.found.append(("structured data that is not JSON", text[:200]))
            if "<" in text:
                self.found.append(("markup inside structured data", text[:200]))


def assert_no_injection(body):
    finder = ActiveContentFinder()
    finder.feed(body)
    assert finder.found == []


def test_hostile_rich_text_and_fields_are_escaped_on_the_public_page(client, users):
    page = CaseStudyPage.objects.live().filter(locale__language_code="en").order_by("path").first()
    client.force_login(users["admin"])
    data = edit_form_data(
        page,
        users["admin"],
        title=f"Hostile {SCRIPT}",
        summary=f"Summary {IMG}",
        safeguards_legal_basis=contentstate(f"Click {SCRIPT} {IMG}", "javascript:alert(1)"),
        context="<p>raw html <script>alert('owned')</script><a href=\"javascript:alert(1)\">x</a></p>",
        **{"action-publish": "1"},
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302
    page.refresh_from_db()
    # Raw HTML where the editor sends JSON is kept as text, escaped, not dropped and not a server error.
    assert "&lt;script&gt;" in page.context and "<script>" not in page.context
    client.logout()
    public = client.get(page.url)
    assert public.status_code == 200
    body = public.content.decode()
    assert "Hostile &lt;script&gt;" in body  # the title was published, as text
    assert_no_injection(body)


def test_hostile_streamfield_blocks_are_escaped_on_the_public_page(client, users):
    chapter = ChapterPage.objects.live().filter(locale__language_code="en").order_by("path").first()
    client.force_login(users["admin"])
    data = edit_form_data(chapter, users["admin"], **{"action-publish": "1"})
    data.update(
        nested_form_data(
            {
                "body": streamfield(
                    [
                        ("heading", {"text": f"Heading {SCRIPT}"}),
                        ("paragraph", contentstate(f"Para {SCRIPT}", "javascript:alert(1)")),
                        ("quote", {"quote": f"Quote {IMG}", "attribution": SCRIPT}),
                        ("callout", {"title": IMG, "text": contentstate("Click me", "javascript:alert(2)")}),
                    ]
                )
            }
        )
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=(chapter.pk,)), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    chapter.refresh_from_db()
    assert [block.block_type for block in chapter.body] == ["heading", "paragraph", "quote", "callout"]
    client.logout()
    body = client.get(chapter.url).content.decode()
    assert "Heading &lt;script&gt;" in body
    assert_no_injection(body)
