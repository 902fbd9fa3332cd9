"""Wagtail's ``{% picture %}`` and ``{% srcset_image %}``, parsed and rendered by Wagtail, with their rendition
filters made once per template instead of once per render.

Wagtail builds a ``Filter`` per size and format each time the tag renders, and each works out its operations from
their signatures (``inspect``): about 0.05 ms a size, half a millisecond for a lead image's nine. A filter depends
only on its spec, which is written in the template, so the node keeps the ones it made (a compiled template lives as
long as the process). Load ``pictures`` where a template would load ``wagtailimages_tags`` for these tags: they keep
Wagtail's names and syntax.
"""

from django import template
from django.utils.functional import cached_property
from wagtail.images.templatetags import wagtailimages_tags

register = template.Library()


class KeptFilters:
    @cached_property
    def kept_filters(self):
        return super().get_filters()

    def get_filters(self):
        return self.kept_filters


class PictureNode(KeptFilters, wagtailimages_tags.PictureNode):
    pass


class SrcsetImageNode(KeptFilters, wagtailimages_tags.SrcsetImageNode):
    pass


NODES = {wagtailimages_tags.PictureNode: PictureNode, wagtailimages_tags.SrcsetImageNode: SrcsetImageNode}


def kept(parser, token):
    node = wagtailimages_tags.image(parser, token)  # Wagtail's parsing and checks, its node for the tag's name
    return NODES[type(node)](node.image_expr, node.filter_specs, node.output_var_name, node.attrs)


register.tag("picture", kept)
register.tag("srcset_image", kept)
