"""Media files on an S3-compatible bucket (``STORAGES["default"]`` when ``AWS_STORAGE_BUCKET_NAME`` is set).

The bucket stays private: nothing is written with a public ACL. Documents, original images and the PDF editions are
read by the application and answered through its own views (Wagtail's document view checks the collection's privacy
and sends ``Content-Security-Policy: default-src 'none'``, nosniff and an attachment disposition; the PDF view
``books/views.py``), so an uploaded HTML file never runs in the site's origin, nor can a private document be fetched
around the site's permission checks: its storage URL is presigned and expires.

Image renditions (Wagtail writes them under ``images/``) are what pages show to every reader: their URLs are plain and
stable (a page kept by the page cache or Varnish for an hour must not carry a signature that expires sooner), on
the bucket's own origin or the CDN in front of it (``AWS_S3_CUSTOM_DOMAIN``). The bucket policy makes that one prefix
readable (``deploy/s3/bucket-policy.json``); the strict CSP allows images from that origin (``accounts/security.py``).
"""

import posixpath
from functools import cached_property
from urllib.parse import unquote, urlsplit

from botocore.config import Config
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

RENDITIONS = "images/"  # where Wagtail writes image renditions (AbstractRendition.file's upload_to)


class MediaStorage(S3Storage):
    """django-storages' S3 storage with the site's fixed choices; where and who come from the environment."""

    # Two uploads with the same name are two files (S3Storage would overwrite the first, unlike local storage).
    file_overwrite = False
    default_acl = None  # the bucket's own (private); never public-read
    querystring_auth = True  # every URL but a rendition's is presigned

    def __init__(self, **settings):
        super().__init__(**settings)
        # boto3 >= 1.36 adds CRC checksums to every upload by default, which several S3-compatible servers refuse
        # (django-storages issue 1482); only the operations that require one send it.
        self.client_config = self.client_config.merge(
            Config(request_checksum_calculation="when_required", response_checksum_validation="when_required")
        )

    def url(self, name, parameters=None, expire=None, http_method=None):
        if parameters or http_method or not clean_name(name).startswith(RENDITIONS):
            return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
        return self.public_url(name)

    def public_url(self, name):
        """The unsigned URL of a file under the public prefix."""
        name = self._normalize_name(clean_name(name))
        if self.custom_domain:
            return f"{self.url_protocol}//{self.custom_domain}/{name}"
        return self.unsigned_connection.meta.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket_name, "Key": name}
        )

    @cached_property
    def public_base(self):
        """The URL the renditions' URLs start with: ``https://bucket.s3…/images/`` or the CDN's."""
        return self.public_url(RENDITIONS)

    @cached_property
    def public_origin(self):
        parts = urlsplit(self.public_base)
        return f"{parts.scheme}://{parts.netloc}"

    def name_for_url(self, url):
        """The file name of a rendition URL this storage made, else None."""
        base = self.public_base
        if not url.startswith(base) or urlsplit(url).query:
            return None
        name = posixpath.normpath(RENDITIONS + unquote(url[len(base) :]))
        return name if name.startswith(RENDITIONS) and not ({"\\", "\x00"} & set(name)) else None
