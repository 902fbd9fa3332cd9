"""Template context every page needs."""

from django.conf import settings


def site_chrome(request):
    return {"SHOW_SAMPLE_NOTICE": getattr(settings, "SHOW_SAMPLE_NOTICE", False)}
