from django import template
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


@register.inclusion_tag("opendata/export_links.html")
def practice_export_links(filters):
    """Links to the export of the practices the listing shows: the filters as the listing understood them (values
    it ignored left out), in the reader's language (the URL's prefix)."""
    query = urlencode(filters.selected, doseq=True)
    suffix = f"?{query}" if query else ""
    return {"csv_url": reverse("practices_csv") + suffix, "json_url": reverse("practices_json") + suffix}
