"""Where readers get the media files pages show: the site's own origin, or a bucket's (``core/storage.py``).

Asked of whatever ``default_storage`` is at the time (local files answer None), without importing boto3: most
processes never use a bucket.
"""

from django.core.files.storage import default_storage


def media_storage_from_env(environ):
    """``STORAGES["default"]`` for the bucket the environment names (``AWS_STORAGE_BUCKET_NAME``), else None.

    The keys are boto3's own environment variables (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``) or the
    machine's role, which boto3 reads itself: never in settings, so never in a task's arguments either (Wagtail's
    file deletions travel to the task worker as the storage's options).
    """
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return None
    return {
        "BACKEND": "core.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,  # an S3-compatible server other than AWS
            "region_name": environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,  # a CDN in front of the renditions
            "location": environ.get("AWS_LOCATION", ""),  # a folder of the bucket, e.g. "media"
        },
    }


def media_origin():
    """The origin readers load the media files pages show from when it is not the site's own, else None."""
    return getattr(default_storage, "public_origin", None)


def media_name_for_url(url):
    """The storage name of a media URL on a bucket (see ``MediaStorage.name_for_url``), else None."""
    name_for_url = getattr(default_storage, "name_for_url", None)
    return name_for_url(url) if name_for_url else None
