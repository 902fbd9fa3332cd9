"""The anonymous page cache's invalidation, connected to what changes pages (``core/invalidation.py``)."""

from django.db.models.signals import post_save, pre_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from . import invalidation
from .page_cache import purge_paths


def on_page_changed(sender, instance, **kwargs):
    invalidation.page_changed(instance)


def on_page_deleted(sender, instance, **kwargs):
    # Sent for the base Page and again for the specific model: either way the page is still in the database here.
    if isinstance(instance, Page) and instance.live:
        invalidation.page_changed(instance)


def before_move(sender, instance, **kwargs):
    instance._page_cache_stale = invalidation.moving_page(instance)


def after_move(sender, instance, **kwargs):
    purge_paths(getattr(instance, "_page_cache_stale", set()))
    invalidation.page_changed(Page.objects.get(pk=instance.pk))


def on_row_changed(sender, instance, **kwargs):
    invalidation.row_changed(instance)


def connect():
    page_published.connect(on_page_changed, dispatch_uid="page_cache_published")
    page_unpublished.connect(on_page_changed, dispatch_uid="page_cache_unpublished")
    pre_delete.connect(on_page_deleted, dispatch_uid="page_cache_deleted")
    pre_page_move.connect(before_move, dispatch_uid="page_cache_before_move")
    post_page_move.connect(after_move, dispatch_uid="page_cache_after_move")
    for model in invalidation.watched_models():
        post_save.connect(on_row_changed, sender=model, dispatch_uid=f"page_cache_saved_{model._meta.label}")
        # Before the deletion: its links to pages are deleted with it.
        pre_delete.connect(on_row_changed, sender=model, dispatch_uid=f"page_cache_deleted_{model._meta.label}")
