"""The public read API (``/api/v3/``): chapters, practice case studies, news and the taxonomy, as JSON, with an
OpenAPI 3.1 description (``/api/v3/openapi.json``) and its documentation page (``/api/v3/docs/``).

Built on Wagtail 8's ``wagtail.api.v3`` (django-ninja): its problem-details error format and its limit/offset
pagination (``WAGTAILAPI_LIMIT_MAX``). Wagtail's own v3 page router is not mounted:
besides reading it creates, edits, publishes, moves and deletes pages for Bearer tokens, which would bypass the
case studies' safeguards review (a workflow step). This API has GET operations only, so any write is refused
(405). No operation takes credentials (the documentation page offers no "Authorize"), and none reads the user:
whatever session or token comes along, only live pages outside every view restriction (``records.public_pages``).
"""

from datetime import date, datetime
from typing import Annotated

from django.conf import settings
from django.http import Http404
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from wagtail.api.v3.errors import problem_response, register_exception_handlers
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination

from handbook.models.filters import FILTERS, PracticeFilters

from . import records

MAX_OFFSET = 10**6  # beyond any collection here; larger numbers would overflow the database's integers
PageId = Annotated[int, Field(ge=1, le=2**31 - 1)]  # a database id; larger numbers would overflow it


class Pagination(WagtailLimitOffsetPagination):
    class Input(WagtailLimitOffsetPagination.Input):
        offset: int = Field(default=0, ge=0, le=MAX_OFFSET)


class Coded(Schema):
    code: str
    label: str


class CountryOut(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2")
    name: str = Field(description="CLDR name in the record's language")


class PageOut(Schema):
    id: int
    locale: str = Field(description="The page's language; its labels are in this language")
    title: str
    slug: str
    url: str
    first_published_at: datetime | None
    last_published_at: datetime | None


class PracticeOut(PageOut):
    summary: str
    implementing_country: CountryOut
    region: Coded
    partner_countries: list[CountryOut]
    pillars: list[Coded]
    themes: list[Coded]
    target_groups: list[Coded]
    modalities: list[Coded]
    actor_types: list[Coded]
    status: Coded
    cooperation_level: Coded
    evidence_level: Coded
    review_stage: Coded
    start_year: int | None
    end_year: int | None
    last_reviewed: date | None
    archived: bool


class Section(Schema):
    name: str
    heading: str
    html: str


class PracticeDetail(PracticeOut):
    sections: list[Section]


class ChapterOut(PageOut):
    pillar: Coded | None
    intro: str


class ChapterDetail(ChapterOut):
    body_html: str
    references_html: list[str]


class NewsOut(PageOut):
    kind: Coded
    date: date
    end_date: date | None
    place: str
    summary: str


class NewsDetail(NewsOut):
    body_html: str


class Vocabulary(Schema):
    code: str
    label: str
    terms: list[Coded]


class CountryInRegion(CountryOut):
    region: Coded


class Taxonomy(Schema):
    locale: str
    vocabularies: list[Vocabulary]
    countries: list[CountryInRegion]


def page_list(item):
    return type(f"{item.__name__}List", (Schema,), {"__annotations__": {"count": int, "items": list[item]}})


class LocaleQuery(Schema):
    locale: str | None = Field(None, description="Language code (en, ar, fr, es, ru, zh-hans): only pages in it")


class NewsQuery(LocaleQuery):
    kind: str | None = Field(None, description="news or event")


PracticeQuery = type(
    "PracticeQuery",
    (LocaleQuery,),
    {
        "__annotations__": {flt.param: list[str] for flt in FILTERS},
        **{
            flt.param: Field([], description=f"{flt.label} code(s), as in the practice listing's URL")
            for flt in FILTERS
        },
    },
)

api = NinjaAPI(
    title="South–South Exchange open data",
    version="1.0",
    description=(
        "Read-only: the handbook's chapters, the practice case studies with their taxonomy codes and labels, news "
        "and events, and the taxonomy, in the six UN languages. Only live, public pages."
    ),
    urls_namespace="opendata_api",
    openapi_url="/openapi.json",
    docs_url="/docs/",
)
register_exception_handlers(api)


@api.exception_handler(NinjaValidationError)
def invalid_parameters(request, exc):
    """A parameter of the wrong type or out of range is the client's mistake: 400, as ``limit`` above the maximum
    already is (Wagtail's handler answers 422)."""
    return problem_response(status=400, detail="Invalid parameters.", errors=exc.errors)


def languages(locale):
    """The page languages asked for: one (``?locale=``, checked) or all."""
    if locale is None:
        return None
    known = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    if locale not in known:  # checked here, not in the database: PostgreSQL refuses some characters in queries
        known = ", ".join(known)
        raise HttpError(400, f"Unknown locale {locale[:20]!r}; one of: {known}.")
    return locale


def in_locale(queryset, locale):
    locale = languages(locale)
    return queryset if locale is None else queryset.filter(locale__language_code=locale)


def paginate(request, queryset, pagination, record):
    page = Pagination().paginate_queryset(queryset, pagination, request)
    return {"count": page["count"], "items": [record(item) for item in page["items"]]}


def detail(queryset, page_id):
    try:
        return queryset.get(pk=page_id)
    except queryset.model.DoesNotExist as missing:
        raise Http404 from missing


def selected_practices(request, locale):
    """The practices of the listing's filters (``handbook.models.filters``); an unknown value is a 400 here, as a
    data set silently widened would mislead."""
    filters = PracticeFilters(request)
    if filters.ignored:
        raise HttpError(400, "Unknown filter values: " + ", ".join(repr(value) for value in filters.ignored[:5]))
    return filters.apply(in_locale(records.practices(), locale))


@api.get("/practices/", response=page_list(PracticeOut), tags=["practices"], summary="List practice case studies")
def list_practices(request, query: Query[PracticeQuery], pagination: Query[Pagination.Input]):
    labels = records.Labels()
    queryset = selected_practices(request, query.locale)
    return paginate(request, queryset, pagination, lambda page: records.practice_record(page, request, labels))


@api.get("/practices/{page_id}/", response=PracticeDetail, tags=["practices"], summary="One practice case study")
def get_practice(request, page_id: PageId):
    page = detail(records.practices(), page_id)
    return records.practice_record(page, request, records.Labels(), detail=True)


@api.get("/chapters/", response=page_list(ChapterOut), tags=["handbook"], summary="List the handbook's chapters")
def list_chapters(request, query: Query[LocaleQuery], pagination: Query[Pagination.Input]):
    labels = records.Labels()
    queryset = in_locale(records.chapters(), query.locale)
    return paginate(request, queryset, pagination, lambda page: records.chapter_record(page, request, labels))


@api.get("/chapters/{page_id}/", response=ChapterDetail, tags=["handbook"], summary="One chapter")
def get_chapter(request, page_id: PageId):
    page = detail(records.chapters(), page_id)
    return records.chapter_record(page, request, records.Labels(), detail=True)


@api.get("/news/", response=page_list(NewsOut), tags=["news"], summary="List news items and events")
def list_news(request, query: Query[NewsQuery], pagination: Query[Pagination.Input]):
    queryset = in_locale(records.news_items(), query.locale)
    if query.kind is not None:
        if query.kind not in {"news", "event"}:
            raise HttpError(400, "kind is news or event.")
        queryset = queryset.filter(kind=query.kind)
    return paginate(request, queryset, pagination, lambda page: records.news_record(page, request))


@api.get("/news/{page_id}/", response=NewsDetail, tags=["news"], summary="One news item or event")
def get_news(request, page_id: PageId):
    return records.news_record(detail(records.news_items(), page_id), request, detail=True)


@api.get("/taxonomy/", response=Taxonomy, tags=["taxonomy"], summary="The vocabularies and countries")
def get_taxonomy(request, query: Query[LocaleQuery]):
    return records.taxonomy(languages(query.locale) or settings.LANGUAGE_CODE)
