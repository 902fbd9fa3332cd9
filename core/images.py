"""The lead image that case studies, chapters and news items can carry: the picture at the top of the page, on the
listing cards and in social cards (``core/seo.py``).

Its alternative text is a field of the page, not the image's title: the same picture may say something different
on two pages, and wagtail-localize offers a page's text fields to translators, so the Arabic page describes its
image in Arabic. The image itself is shared by every translation (a synchronised field).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

ALT_TEXT_LENGTH = 250


class LeadImageMixin(models.Model):
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown at the top of the page, on listing cards and when the page is shared."),
    )
    lead_image_alt = models.CharField(
        _("alternative text"),
        max_length=ALT_TEXT_LENGTH,
        blank=True,
        help_text=_(
            "Required with a lead image: what the image shows, for readers who cannot see it. Translated with the page."
        ),
    )
    lead_image_caption = models.CharField(
        _("caption or credit"),
        max_length=ALT_TEXT_LENGTH,
        blank=True,
        help_text=_("Shown under the image, e.g. the photographer, or “Sample illustration”."),
    )

    lead_image_panel = MultiFieldPanel(
        [FieldPanel("lead_image"), FieldPanel("lead_image_alt"), FieldPanel("lead_image_caption")],
        heading=_("Lead image"),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.lead_image_id and not self.lead_image_alt.strip():
            raise ValidationError({"lead_image_alt": _("Describe the lead image for readers who cannot see it.")})


def with_lead_images(pages):
    """``pages`` with their lead images and those images' renditions fetched in two queries in all, so a listing
    of cards costs the same with or without pictures."""
    return pages.prefetch_related("lead_image__renditions")
