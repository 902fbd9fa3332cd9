"""Image renditions through the ``renditions`` cache (``core/rendition_cache.py``), which does not write back what
it has just read: renditions are still found without a query, and a new crop or a deleted image is never answered
from an old entry."""

import pytest
import wagtail_factories
from django.core.cache import caches
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db
SPECS = ("fill-60x40-c100", "width-50")  # the crop follows the focal point; the width does not


def fresh(image):
    """The image as the next request reads it: no renditions remembered on the object."""
    return get_image_model().objects.get(pk=image.pk)


def test_renditions_come_from_the_cache_and_follow_the_focal_point(django_assert_num_queries):
    image = wagtail_factories.ImageFactory(file__width=120, file__height=80)
    made = image.get_renditions(*SPECS)
    image = fresh(image)
    with django_assert_num_queries(0):
        again = image.get_renditions(*SPECS)
        twice = image.get_renditions(*SPECS)
    assert [r.pk for r in again.values()] == [r.pk for r in made.values()] == [r.pk for r in twice.values()]

    image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height = 10, 10, 20, 20
    image.save()
    moved = fresh(image).get_renditions(*SPECS)
    assert moved["fill-60x40-c100"].pk != made["fill-60x40-c100"].pk  # a new crop, not the old entry
    assert moved["width-50"].pk == made["width-50"].pk
    image = fresh(image)
    with django_assert_num_queries(0):
        assert image.get_renditions(*SPECS)["fill-60x40-c100"].pk == moved["fill-60x40-c100"].pk


def test_a_deleted_image_leaves_no_rendition_in_the_cache():
    image = wagtail_factories.ImageFactory(file__width=120, file__height=80)
    keys = [rendition.get_cache_key() for rendition in image.get_renditions(*SPECS).values()]
    fresh(image).get_renditions(*SPECS)  # read back from the cache
    assert all(caches["renditions"].get(key) is not None for key in keys)
    image.delete()
    assert all(caches["renditions"].get(key) is None for key in keys)
