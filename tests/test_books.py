"""The PDF editions (books/): the handbook of a language and each case study, rendered once per publication in the
background task, stored, and served at the page's URL + ".pdf"; what the renderer may fetch.

Each test publishes what it needs (the session's sample site has no editions: renders take a second or more) and
reads the PDF as a reader's tools would: ``pdftotext`` and ``pdfinfo`` from poppler-utils.
"""

import http.server
import re
import signal
import subprocess
import threading
from urllib.parse import unquote

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from wagtail.rich_text import RichText

from books.fetcher import RefusedURL, SiteFilesFetcher
from books.management.commands import render_books
from books.models import PdfEdition
from books.publishing import deferred
from books.tasks import render_edition
from handbook.factories import CaseStudyPageFactory, CoveragePageFactory
from handbook.models import CaseStudyIndexPage, CaseStudyPage, ChapterPage, Country, HandbookPage, Term

pytestmark = pytest.mark.django_db

BIDI_MARKS = re.compile("[\u202a-\u202c]")
ARABIC_SENTENCE = "تبني المجتمعات المحلية الثقة عندما تشارك في تصميم برامج الوقاية"


def pdf_text(path, first=None, last=None):
    command = ["pdftotext"]
    if first:
        command += ["-f", str(first), "-l", str(last or first)]
    result = subprocess.run([*command, path, "-"], capture_output=True, check=True, text=True)  # noqa: S603
    return BIDI_MARKS.sub("", result.stdout)


def embedded_files(path):
    result = subprocess.run(["pdfdetach", "-list", path], capture_output=True, check=True, text=True)  # noqa: S603, S607
    return result.stdout


def pdf_info(path):
    result = subprocess.run(["pdfinfo", path], capture_output=True, check=True, text=True)  # noqa: S603, S607
    return dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish a page as the workflow's last step does; the renders it queues run when the transaction commits
    (the tests' backend runs tasks immediately). The files written are removed afterwards."""

    def publish(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        return page

    kept = list(PdfEdition.objects.values_list("pk", flat=True))  # the module's (``arabic_handbook``)
    yield publish
    for edition in PdfEdition.objects.exclude(pk__in=kept):
        edition.file.delete(save=False)


@pytest.fixture
def practice():
    """A live English case study that cites no chapter: publishing it renders its own PDF only."""
    listing = CaseStudyIndexPage.objects.get(locale__language_code="en")
    page = CaseStudyPageFactory(
        parent=listing,
        title="Peer review of prison outreach",
        slug="peer-review",
        implementing_country=Country.objects.order_by("code").first(),
    )
    page.pillars = [Term.objects.get(vocabulary="pillar", code="I", locale__language_code="en")]
    return page


def arabic(model):
    return model.objects.live().filter(locale__language_code="ar")


@pytest.fixture(scope="module")
def arabic_handbook(module_transaction, django_db_blocker):
    """The Arabic handbook's edition after a chapter in Arabic and the coverage page were published, rendered once
    for the tests that read it (the Arabic handbook is the longest render, seconds of CPU): (handbook, its chapters,
    edition). Both publications ask for it; ``deferred`` queues it once, after both."""
    with django_db_blocker.unblock():
        handbook = arabic(HandbookPage).get()
        chapters = list(arabic(ChapterPage).child_of(handbook).order_by("path"))
        chapters[0].body = [("paragraph", RichText(f"<p>{ARABIC_SENTENCE}.</p>"))]
        home = handbook.get_parent()
        coverage = CoveragePageFactory(parent=home, slug="coverage-ar", title="نطاق التغطية", locale=home.locale)
        with deferred():
            chapters[0].save_revision().publish()
            coverage.save_revision().publish()
        edition = PdfEdition.objects.get(page=handbook)
    yield handbook, chapters, edition
    edition.file.delete(save=False)


def test_the_arabic_handbook_reads_right_to_left_with_its_contents_and_page_numbers(client, arabic_handbook):
    handbook, chapters, edition = arabic_handbook
    path = edition.file.path
    info = pdf_info(path)
    assert info["Title"].strip() == handbook.title
    assert info["Tagged"].strip() == "yes"
    assert int(info["Pages"]) == edition.page_count
    # The chapter's sentence, extracted in logical (reading) order: shaping and direction are right.
    assert ARABIC_SENTENCE in pdf_text(path)

    contents = pdf_text(path, 2)
    assert "المحتويات" in contents
    listed = {}
    for chapter in chapters:
        line = next(line for line in contents.splitlines() if chapter.title in line)
        listed[chapter.title] = int(re.search(r"\b(\d+)\b", line.replace(chapter.title, "")).group(1))
    assert list(listed) == [chapter.title for chapter in chapters]
    for title, page_number in listed.items():
        assert title in pdf_text(path, page_number), f"{title} is not on page {page_number} as the contents say"
    assert sorted(listed.values()) == list(listed.values())
    assert edition.page_count >= 2 + len(chapters)

    # Served under the handbook's URL, saved under its Arabic title, linked from the handbook page in Arabic.
    url = handbook.get_url().rstrip("/") + ".pdf"
    response = client.get(url)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; filename*=utf-8''")  # RFC 5987: the title keeps its Arabic
    assert unquote(disposition.split("''", 1)[1]) == f"{handbook.title}.pdf"
    page = client.get(handbook.get_url()).content.decode()
    assert f'href="{url}"' in page
    assert "تنزيل بصيغة PDF" in page


def test_a_case_study_pdf_is_served_with_its_name_and_validators(client, publish, practice):
    url = practice.get_url().rstrip("/") + ".pdf"
    waiting = client.get(url)
    assert waiting.status_code == 404
    assert "being prepared" in waiting.content.decode()
    assert waiting["Retry-After"]
    assert "Download as PDF" not in client.get(practice.get_url()).content.decode()

    publish(practice)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{practice.title}.pdf"'
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    edition = PdfEdition.objects.get(page=practice)
    assert response["ETag"] == f'"{edition.fingerprint}"'
    assert response["Last-Modified"]
    assert "max-age" in response["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    text = pdf_text(edition.file.path)
    assert practice.title in text and practice.summary in text
    assert "About this edition" in text

    page = client.get(practice.get_url()).content.decode()
    assert f'href="{url}"' in page
    assert "Download as PDF" in page
    assert re.search(rf"\(PDF, [^,()]+, {edition.page_count} pages?\)", page)


def test_publishing_a_new_revision_replaces_the_file(client, publish, practice):
    publish(practice)
    before = PdfEdition.objects.get(page=practice)
    render_edition.enqueue(practice.pk)  # asked again for the same published revision: nothing to render
    assert PdfEdition.objects.get(page=practice).pk == before.pk

    practice.summary = "A revised summary that the new edition must print."
    publish(practice)
    after = PdfEdition.objects.get(page=practice)
    assert after.pk != before.pk and after.file.name != before.file.name
    assert not default_storage.exists(before.file.name)
    assert "A revised summary that the new edition must print." in pdf_text(after.file.path)
    response = client.get(practice.get_url().rstrip("/") + ".pdf", HTTP_IF_NONE_MATCH=f'"{before.fingerprint}"')
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/en/no-such-page.pdf",
        "/en/news.pdf",  # a page without a PDF edition
        "/en/handbook/pillar-i.pdf",  # chapters print inside the handbook
        "/en/practices/x/y/z.pdf",
        "/ar/%D8%A7.pdf",
        "/en/handbook/..%2F..%2Fetc%2Fpasswd.pdf",
    ],
)
def test_a_bad_pdf_url_is_a_404(client, path):
    assert client.get(path).status_code == 404


class CountingHandler(http.server.BaseHTTPRequestHandler):
    requests = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        CountingHandler.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hostile_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    CountingHandler.requests = []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_editor_html_cannot_make_the_renderer_fetch_remote_urls_or_local_files(publish, practice, hostile_server):
    practice.context = (
        f'<p>Context.<img src="{hostile_server}/tracker.png" alt=""></p>'
        '<p><img src="file:///etc/passwd" alt=""><a rel="attachment" href="file:///etc/passwd">notes</a></p>'
        f'<p><a rel="attachment" href="{hostile_server}/payload.bin">more</a></p>'
    )
    publish(practice)
    edition = PdfEdition.objects.get(page=practice)
    assert CountingHandler.requests == []
    assert embedded_files(edition.file.path).startswith("0 embedded files")
    with open(edition.file.path, "rb") as pdf:
        assert b"root:x:0:0" not in pdf.read()


def test_the_fetcher_reads_only_the_sites_static_and_media_files(tmp_path):
    fetcher = SiteFilesFetcher("http://localhost/")
    with fetcher.fetch("http://localhost/static/books/book.css")._file_obj as css:
        assert b"@page" in css.read()
    for url in [
        "file:///etc/passwd",
        "http://localhost/static/../../../../etc/passwd",
        "http://localhost/static/%2e%2e/%2e%2e/config/settings/base.py",
        "http://localhost/media/../config/settings/base.py",
        "http://localhost/admin/",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost.evil.example/static/books/book.css",
        "https://localhost/static/books/book.css",  # another origin than the render's
        "data:text/plain,hello",
    ]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 9


def test_the_handbook_closes_with_the_coverage_figures(arabic_handbook):
    """The coverage page's map, chart and tables work inside the PDF: the handbook ends with them, listed in the
    contents, with the map's disclaimer in the handbook's language."""
    _handbook, _chapters, edition = arabic_handbook
    contents = pdf_text(edition.file.path, 2)
    line = next(line for line in contents.splitlines() if "نطاق التغطية" in line)
    first_page = int(re.search(r"\b(\d+)\b", line.replace("نطاق التغطية", "")).group(1))
    last_part = pdf_text(edition.file.path, first_page, edition.page_count)
    assert "نطاق التغطية" in last_part
    assert "موثق" in last_part  # "… documented practices", the total above the figures
    assert "الحدود والأسماء" in last_part  # the map's disclaimer
    practice = arabic(CaseStudyPage).select_related("implementing_country").first()
    with translation.override("ar"):
        assert practice.implementing_country.name in last_part  # the map's data table


def test_ctrl_c_stops_render_books_with_one_line_and_no_traceback(monkeypatch):
    """Ctrl-C while ``render_books`` renders (``make run`` starts it beside the server; an operator runs it by hand):
    the command stops with one error line and the shell's exit status for an interruption, not a traceback."""
    rendered = PdfEdition.objects.count()

    def interrupted(page, force=False):
        signal.raise_signal(signal.SIGINT)  # what the terminal's Ctrl-C delivers to the process

    monkeypatch.setattr(render_books, "refresh_edition", interrupted)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # Python's own, whatever the runner set
    try:
        call_command("render_books", "--now", "--handbook-only")
    except CommandError as error:
        stop = error
    except KeyboardInterrupt:
        pytest.fail("render_books let Ctrl-C through: the terminal shows a traceback")
    else:
        pytest.fail("render_books rendered nothing, so nothing was interrupted")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert str(stop) == "interrupted; the editions not yet rendered are left for the next run"
    assert stop.returncode == 130
    assert PdfEdition.objects.count() == rendered
