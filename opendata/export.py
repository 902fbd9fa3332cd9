"""The practice collection as a file: CSV for spreadsheets, JSON for programs (``/<language>/data/practices.csv``).

The reader's language (the URL's prefix) chooses the practices (those of that language's listing) and the labels;
the listing's filters (``handbook.models.filters``, the same URL parameters) choose which. Each file carries the
licence and a citation line. The CSV starts with a byte order mark, without which spreadsheet programs read UTF-8
as a legacy code page and Arabic turns to garbage, and no cell can start a formula (``core.spreadsheets``).
"""

import csv
import io
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext

from core.languages import active_language, local_date
from core.spreadsheets import BOM, neutralise
from handbook.models import CaseStudyIndexPage, CaseStudyPage, Country, Term
from handbook.models.filters import PracticeFilters

from . import records


def _field(name):
    return str(CaseStudyPage._meta.get_field(name).verbose_name)


def _code_header(label):
    return f"{label} ({Term._meta.get_field('code').verbose_name})"


def columns():
    """(header, value of a record) for each CSV column, headers in the active language."""

    def names(key):
        return lambda record: "; ".join(item.get("label") or item.get("name") for item in record[key])

    def codes(key):
        return lambda record: "; ".join(item["code"] for item in record[key])

    country = str(Country._meta.get_field("region").verbose_name)
    cols = [
        (_field("title"), lambda r: r["title"]),
        (_field("summary"), lambda r: r["summary"]),
        (_field("implementing_country"), lambda r: r["implementing_country"]["name"]),
        (_code_header(_field("implementing_country")), lambda r: r["implementing_country"]["code"]),
        (country, lambda r: r["region"]["label"]),
        (_code_header(country), lambda r: r["region"]["code"]),
        (_field("partner_countries"), names("partner_countries")),
        (_code_header(_field("partner_countries")), codes("partner_countries")),
    ]
    for key, relation in records.PRACTICE_TERMS:
        cols += [(_field(relation), names(key)), (_code_header(_field(relation)), codes(key))]
    for name in records.PRACTICE_CHOICES:
        cols.append((_field(name), lambda r, name=name: r[name]["label"]))
    cols += [
        (_field("start_year"), lambda r: r["start_year"]),
        (_field("end_year"), lambda r: r["end_year"]),
        (_field("last_reviewed"), lambda r: r["last_reviewed"]),
        (_field("archived"), lambda r: _field("archived") if r["archived"] else ""),
        (gettext("Web address"), lambda r: r["url"]),
    ]
    return cols


class Export:
    """The practices a request selects, with what a file says about itself (title, licence, citation)."""

    def __init__(self, request):
        self.request = request
        self.language = active_language()
        self.filters = PracticeFilters(request)
        self.practices = self.filters.apply(records.practices().filter(locale__language_code=self.language))
        listing = records.public_pages(CaseStudyIndexPage).filter(locale__language_code=self.language).first()
        self.title = listing.title if listing else settings.WAGTAIL_SITE_NAME
        self.today = timezone.localdate()

    def records(self):
        labels = records.Labels()
        return [records.practice_record(page, self.request, labels) for page in self.practices]

    def url(self, name):
        query = urlencode(self.filters.selected, doseq=True)
        return self.request.build_absolute_uri(reverse(name)) + (f"?{query}" if query else "")

    def licence(self):
        licence = settings.OPEN_DATA_LICENCE
        return gettext("Licence: %(name)s, %(url)s") % licence

    def citation(self, name):
        return gettext("Cite as: %(site)s, “%(title)s”, %(url)s (retrieved %(date)s).") % {
            "site": settings.WAGTAIL_SITE_NAME,
            "title": self.title,
            "url": self.url(name),
            "date": local_date(self.today),
        }

    def response(self, content, content_type, extension):
        filename = f"{slugify(pgettext('file name', 'good-practices'), allow_unicode=True)}-{self.today}.{extension}"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["Content-Language"] = self.language
        response["Link"] = f'<{settings.OPEN_DATA_LICENCE["url"]}>; rel="license"'
        return response


def unknown_values(export):
    """What the filters did not recognise: the listing drops such values with a notice; a file cannot show the
    notice, and a data set silently wider than asked for would mislead, so the request is refused, saying why."""
    values = ", ".join(export.filters.ignored[:5])
    return HttpResponseBadRequest(
        gettext("Unknown filter values: %(values)s") % {"values": values}, content_type="text/plain; charset=utf-8"
    )


def practices_csv(request):
    export = Export(request)
    if export.filters.ignored:
        return unknown_values(export)
    cols = columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(header) for header, _value in cols])
    for record in export.records():
        writer.writerow([neutralise(value(record)) for _header, value in cols])
    # The licence and citation come after the data, so that the header stays the first row for programs.
    writer.writerow([])
    writer.writerow([neutralise(export.licence())])
    writer.writerow([neutralise(export.citation("practices_csv"))])
    return export.response(BOM + buffer.getvalue(), "text/csv; charset=utf-8", "csv")


def practices_json(request):
    export = Export(request)
    if export.filters.ignored:
        return unknown_values(export)
    items = export.records()
    data = {
        "title": export.title,
        "locale": export.language,
        "licence": settings.OPEN_DATA_LICENCE,
        "citation": export.citation("practices_json"),
        "retrieved": export.today,
        "filters": export.filters.selected,
        "count": len(items),
        "practices": items,
    }
    content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return export.response(content, "application/json; charset=utf-8", "json")
