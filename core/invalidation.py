"""What a change shows on: the pages whose cached copies a publish, an unpublish, a move or a snippet's edit makes
stale (``core/page_cache.py`` keeps and purges them).

Read from the models themselves, so a new relation is followed without a list to keep up:

- a page: itself, its ancestors (the listings and the home page that list it), the pages it links to through a
  relation (a practice's chapters list it) and those that link to it (through a relation, or in rich text and
  StreamField: Wagtail's reference index), and the page types that declare ``cache_follows`` its type (the
  coverage page counts practices; a chapter shows the previous and the next chapter);
- a snippet or reference row (a term, a country, an expert and their visibility, a centre, an image): the pages
  that link to any of its translations, directly or through one other row (a country's region), and the page
  types that declare ``cache_follows`` its model (a listing's filters name every term);
- a section of the home page (depth 3: the main menu lists them in every language): every page.

Each page stands for its whole translation group, in every language's address, including the addresses where
another language's version is shown as a fallback (``core/fallback.py``): ``/fr/<path>`` for each path any
translation has.
"""

from django.conf import settings
from django.db.models import Q
from wagtail.models import Page, ReferenceIndex, TranslatableMixin, get_page_models

from .fallback import MENU_DEPTH
from .page_cache import enabled, purge_all, purge_paths

# Wagtail's own tree, revision and ownership links change with every edit and are not something a page shows.
IGNORED_APPS = {"wagtailcore", "auth", "contenttypes", "taggit", "wagtail_localize"}


def _relation_fields(model):
    """Forward foreign keys and many-to-many fields a project model declares (not Wagtail's own tree fields)."""
    return [
        field
        for field in model._meta.get_fields()
        if (field.many_to_one or field.many_to_many)
        and not field.auto_created
        and field.model._meta.app_label not in IGNORED_APPS
        and field.related_model is not None
        and field.related_model._meta.app_label not in IGNORED_APPS
    ]


def watched_models():
    """The non-page models that pages show: related to a page model, or to such a model (a country's region)."""
    shown = {
        field.related_model
        for model in get_page_models()
        for field in _relation_fields(model)
        if not issubclass(field.related_model, Page)
    }
    return shown | {field.related_model for model in list(shown) for field in _relation_fields(model)}


def _group(obj):
    """``obj`` and its translations (what a page links to is one row; readers see the row of their language)."""
    if isinstance(obj, TranslatableMixin) and obj.translation_key:
        return type(obj)._default_manager.filter(translation_key=obj.translation_key)
    return type(obj)._default_manager.filter(pk=obj.pk)


def _linking(model, targets, target_model):
    """Rows of ``model`` that link to any row of ``targets`` (rows of ``target_model``) through a relation, or None
    when ``model`` has no relation to ``target_model``."""
    rows = model._default_manager.order_by()
    conditions = Q()
    for field in _relation_fields(model):
        if issubclass(target_model, field.related_model) or issubclass(field.related_model, target_model):
            # A subquery per relation: one query joining several many-to-many tables would multiply their rows
            # (a practice's pillars by its themes by its target groups...), seconds per term edit on PostgreSQL.
            conditions |= Q(pk__in=rows.filter(**{f"{field.name}__in": targets}).values("pk"))
    return rows.filter(conditions) if conditions else None


def _followers(model):
    label = model._meta.label
    return [page_model for page_model in get_page_models() if label in getattr(page_model, "cache_follows", ())]


def pages_showing_page(page):
    """Translation keys of the pages that show ``page`` (module docstring)."""
    page = page.specific
    keys = {page.translation_key}
    keys |= set(page.get_ancestors().filter(depth__gt=1).values_list("translation_key", flat=True))
    group = Page.objects.filter(translation_key=page.translation_key).values("pk")
    for field in _relation_fields(type(page)):
        if issubclass(field.related_model, Page):
            related = getattr(page, field.name)
            if field.many_to_many:
                keys |= {row.translation_key for row in related.all()}
            elif related is not None:
                keys.add(related.translation_key)
    for model in get_page_models():
        linking = _linking(model, group, Page)
        if linking is not None:
            keys |= set(linking.values_list("translation_key", flat=True))
    for model in _followers(type(page)):
        keys |= set(model.objects.values_list("translation_key", flat=True))
    referencing = ReferenceIndex.get_references_to(page).filter(base_content_type__model="page")
    page_ids = {int(object_id) for object_id in referencing.values_list("object_id", flat=True)}
    keys |= set(Page.objects.filter(pk__in=page_ids).values_list("translation_key", flat=True))
    return keys


def pages_showing_row(row):
    """Translation keys of the pages that show the snippet or reference row ``row``."""
    model = type(row)
    targets = _group(row).values("pk")
    keys = set()
    via = [(model, targets)]
    for other in watched_models() - {model}:
        linked = _linking(other, targets, model)
        if linked is not None:
            via.append((other, linked.values("pk")))
    for target_model, rows in via:
        for page_model in get_page_models():
            linking = _linking(page_model, rows, target_model)
            if linking is not None:
                keys |= set(linking.values_list("translation_key", flat=True))
    for page_model in _followers(model):
        keys |= set(page_model.objects.values_list("translation_key", flat=True))
    return keys


def addresses(translation_keys):
    """Every address of the pages with these translation keys, in every language (fallback addresses too)."""
    rests = set()
    for page in Page.objects.filter(translation_key__in=translation_keys):
        parts = page.get_url_parts()
        if parts is None:
            continue
        segments = parts[2].split("/", 2)  # "", language, the rest
        rests.add(segments[2] if len(segments) == 3 else "")
    return {f"/{code}/{rest}" for code, _name in settings.LANGUAGES for rest in rests}


def page_changed(page):
    if not enabled():
        return
    if page.depth == MENU_DEPTH:
        purge_all()
        return
    purge_paths(addresses(pages_showing_page(page)))


def moving_page(page):
    """Before a move: the addresses that stop being right (the page's and its descendants', their listings')."""
    if not enabled():
        return set()
    keys = pages_showing_page(page) | set(page.get_descendants().values_list("translation_key", flat=True))
    return addresses(keys)


def row_changed(row):
    if not enabled():
        return
    purge_paths(addresses(pages_showing_row(row)))
