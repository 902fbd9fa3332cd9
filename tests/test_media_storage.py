"""Media on an S3-compatible bucket (issue 14, "Media on object storage"), against a real local S3 server (moto's,
started once per test process): an editor's uploads land in the private bucket, a page shows its image's renditions
from the bucket, documents are still answered by the site as attachments that cannot run script in its origin, a
private document stays private, a deleted document's file goes, the PDF renderer reads renditions from the
bucket without reaching anything else, and a backup holds the bucket's files.
"""

import io
import json
import re
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, CollectionViewRestriction

from backups.backup import MEDIA_ARCHIVE, archive_media, restore_media
from books.fetcher import RefusedURL, SiteFilesFetcher
from core.media import media_storage_from_env
from home.models import HomePage
from news.factories import NewsIndexPageFactory, NewsPageFactory

from .test_uploads_and_injection import HOSTILE_HTML, HOSTILE_SVG, upload_document, upload_image

pytestmark = pytest.mark.django_db

MOTO_SERVER = Path(sys.executable).with_name("moto_server")  # moto[server], the dev extra of pyproject.toml
BUCKET = "sse-media"
BUCKET_POLICY = Path(__file__).resolve().parent.parent / "deploy" / "s3" / "bucket-policy.json"  # for "sse-media"
REGION = "us-east-1"
# moto accepts any keys; boto3 reads them from the environment, as it does in production.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test-only", "AWS_SECRET_ACCESS_KEY": "test-only"}  # nosec B105
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """A local S3-compatible server with an empty bucket, for this test process (each xdist worker has its own)."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - a fixed local command
        [MOTO_SERVER, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in CREDENTIALS.items():
                patch.setenv(name, value)
            deadline = time.monotonic() + 60
            while True:
                try:
                    DIRECT.open(f"{endpoint}/moto-api/", timeout=2).close()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("moto_server did not start") from None
                    time.sleep(0.1)
            client = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
            client.create_bucket(Bucket=BUCKET)
            client.put_bucket_policy(Bucket=BUCKET, Policy=BUCKET_POLICY.read_text())  # as production's bucket
            yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def bucket(s3_endpoint, settings):
    """The site's media on the bucket, configured as production reads its environment; the bucket's client."""
    environ = {"AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": s3_endpoint, "AWS_S3_REGION_NAME": REGION}
    settings.STORAGES = {**settings.STORAGES, "default": media_storage_from_env(environ)}
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    yield client
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    if objects:  # each test starts from an empty bucket, as from an empty database
        client.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": item["Key"]} for item in objects]})


def anonymous_status(url):
    """The HTTP status a reader without keys gets for ``url``."""
    try:
        with DIRECT.open(url, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def keys(client, prefix=""):
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])}


def picture_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_an_editors_image_and_documents_land_in_the_private_bucket(client, users, bucket, s3_endpoint):
    client.force_login(users["editor"])
    assert upload_image(client, "bridge.png", picture_bytes(), title="Bridge").status_code == 302
    assert upload_document(client, "report.txt", b"first", title="First").status_code == 302
    assert upload_document(client, "report.txt", b"second", title="Second").status_code == 302

    assert keys(bucket, "original_images/") == {"original_images/bridge.png"}
    documents = keys(bucket, "documents/")
    assert len(documents) == 2  # the same name twice is two files, never one overwriting the other
    assert {bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() for key in documents} == {b"first", b"second"}
    for key in documents | {"original_images/bridge.png"}:
        grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        assert not [grant for grant in grants if grant["Grantee"].get("URI", "").endswith("/AllUsers")]
        assert anonymous_status(f"{s3_endpoint}/{BUCKET}/{key}") == 403
    # The files' own storage URLs are signed and expire; readers get documents through the site (next tests).
    assert "Signature=" in Document.objects.get(title="First").file.url
    assert "Signature=" in Image.objects.get(title="Bridge").file.url


def test_a_pages_image_is_shown_from_the_bucket(client, users, bucket, s3_endpoint):
    client.force_login(users["editor"])
    upload_image(client, "bridge.png", picture_bytes(), title="Bridge")
    client.logout()
    listing = NewsIndexPageFactory(parent=HomePage.objects.get(locale__language_code="en"), slug="stored-news")
    item = NewsPageFactory(
        parent=listing, slug="bridge", lead_image=Image.objects.get(title="Bridge"), lead_image_alt="A bridge"
    )
    item.save_revision().publish()

    response = client.get(item.url)
    assert response.status_code == 200
    fallback = re.search(r'<figure class="lead-image">\s*<picture>.*?(<img [^>]*>)', response.content.decode(), re.S)
    src = re.search(r' src="([^"]+)"', fallback.group(1)).group(1)
    assert src.startswith(f"{s3_endpoint}/{BUCKET}/images/") and "?" not in src  # stable: cacheable pages
    image_policy = re.search(r"img-src ([^;]+)", response["Content-Security-Policy"]).group(1).split()
    assert s3_endpoint in image_policy  # the strict policy lets the browser load it
    with DIRECT.open(src, timeout=10) as answer:
        assert answer.headers["Content-Type"] == "image/jpeg"
        assert PILImage.open(io.BytesIO(answer.read())).size == (40, 30)
    assert src.removeprefix(f"{s3_endpoint}/{BUCKET}/") in keys(bucket, "images/")


@pytest.mark.parametrize(("name", "content"), [("notes.txt", HOSTILE_HTML), ("drawing.txt", HOSTILE_SVG)])
def test_a_document_from_the_bucket_downloads_as_an_attachment_that_cannot_run_script(
    client, users, bucket, name, content
):
    client.force_login(users["editor"])
    assert upload_document(client, name, content, title="Disguised").status_code == 302
    client.logout()
    document = Document.objects.get(title="Disguised")
    assert document.url.startswith("/documents/")  # the site's own view, never the bucket's address

    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content  # read from the bucket
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].split(";")[0] not in {"text/html", "image/svg+xml", "application/xhtml+xml"}


@pytest.mark.parametrize("name", ["page.html", "drawing.svg"])
def test_an_html_or_svg_document_is_refused_and_never_stored(client, users, bucket, name):
    client.force_login(users["editor"])
    response = upload_document(client, name, HOSTILE_HTML if name.endswith("html") else HOSTILE_SVG, title=name)
    assert response.status_code == 200
    assert "is not allowed" in response.content.decode()
    assert keys(bucket) == set()


def test_a_private_document_is_refused_to_an_anonymous_reader(client, users, bucket):
    staff_only = Collection.get_first_root_node().add_child(name="Staff only")
    CollectionViewRestriction.objects.create(collection=staff_only, restriction_type=CollectionViewRestriction.LOGIN)
    client.force_login(users["editor"])
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Internal",
            "file": SimpleUploadedFile("internal.txt", b"internal notes"),
            "collection": staff_only.pk,
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(title="Internal")
    assert keys(bucket, "documents/") == {document.file.name}
    assert b"".join(client.get(document.url).streaming_content) == b"internal notes"
    client.logout()

    response = client.get(document.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailcore_login"))
    assert b"internal notes" not in response.content


def test_deleting_a_document_removes_its_file_from_the_bucket(
    client, users, bucket, django_capture_on_commit_callbacks
):
    client.force_login(users["editor"])
    upload_document(client, "minutes.txt", b"minutes", title="Minutes")
    document = Document.objects.get(title="Minutes")
    assert keys(bucket, "documents/") == {document.file.name}
    # Wagtail's deletion task gets the storage's options (kept in the task queue in production), never its keys.
    assert "test-only" not in json.dumps(document.file.storage.deconstruct())
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("wagtaildocs:delete", args=[document.pk])).status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert keys(bucket, "documents/") == set()


def test_the_pdf_renderer_reads_renditions_from_the_bucket_and_nothing_else(client, users, bucket, s3_endpoint):
    client.force_login(users["editor"])
    upload_image(client, "bridge.png", picture_bytes(), title="Bridge")
    upload_document(client, "secret.txt", b"secret", title="Secret")
    rendition = Image.objects.get(title="Bridge").get_rendition("width-20|format-png")
    fetcher = SiteFilesFetcher("http://testserver/")

    with fetcher.fetch(rendition.url)._file_obj as file:
        assert PILImage.open(file).size == (20, 15)
    secret = Document.objects.get(title="Secret").file.name
    base = f"{s3_endpoint}/{BUCKET}/"
    for url in [base + secret, f"{base}images/../{secret}", f"{base}images/%2E%2E/{secret}", rendition.url + "?x=1"]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_a_backup_holds_the_buckets_files_and_restores_them_into_an_empty_bucket(client, users, bucket, tmp_path):
    client.force_login(users["editor"])
    upload_image(client, "bridge.png", picture_bytes(), title="Bridge")
    upload_document(client, "minutes.txt", b"minutes", title="Minutes")
    stored = {key: bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() for key in keys(bucket)}
    assert Document.objects.get(title="Minutes").file.name in stored

    # backup_site and restore_site archive the media through these two (their database half, on a database of its
    # own, is tests/integration/test_backup.py's subject).
    archive_media(tmp_path / MEDIA_ARCHIVE)
    with tarfile.open(tmp_path / MEDIA_ARCHIVE) as archive:
        assert {member.name: archive.extractfile(member).read() for member in archive} == stored

    bucket.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": key} for key in stored]})
    restore_media(tmp_path / MEDIA_ARCHIVE)
    assert {key: bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() for key in keys(bucket)} == stored
