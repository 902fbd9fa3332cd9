"""StreamField blocks shared by every content page (chapters, case studies, news, about)."""

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "superscript"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; its text also feeds a chapter's table of contents."""

    text = blocks.CharBlock(label=_("Heading"), max_length=200)

    class Meta:
        icon = "title"
        template = "core/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    """A quotation with its attribution, e.g. from a focal point or a resolution."""

    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "core/blocks/quote.html"


class FigureBlock(blocks.StructBlock):
    """An image from the library, with an optional caption.

    Wagtail's ``ImageBlock`` fills the alternative text in from the image's description when the image is chosen
    (editors adapt it to the page, or mark a purely decorative image), so screen-reader users are never left with
    nothing; the template falls back to the description for values saved without alternative text.
    """

    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "core/blocks/image.html"


class CalloutBlock(blocks.StructBlock):
    """A highlighted box: a key message or a lesson worth repeating."""

    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "pick"
        template = "core/blocks/callout.html"


class BaseStreamBlock(blocks.StreamBlock):
    """The body of a content page."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    quote = QuoteBlock()
    image = FigureBlock()
    callout = CalloutBlock()


class ReferenceBlock(blocks.StructBlock):
    """One numbered reference or footnote of a chapter (a source, a resolution, a report)."""

    text = blocks.RichTextBlock(label=_("Reference"), features=["bold", "italic", "link"])

    class Meta:
        icon = "link"
        template = "core/blocks/reference.html"


def anchored_blocks(stream):
    """``(block, anchor)`` for each block of a StreamField value: a heading's anchor is the id it is rendered with
    and a table of contents links to (its text as a slug, kept in its own script so Arabic and Chinese headings get
    one too; numbered when two headings read the same); other blocks have ""."""
    anchors, seen = [], set()
    for position, block in enumerate(stream, start=1):
        anchor = ""
        if block.block_type == "heading":
            base = slugify(block.value["text"], allow_unicode=True) or f"section-{position}"
            anchor, number = base, 1
            while anchor in seen:
                number += 1
                anchor = f"{base}-{number}"
            seen.add(anchor)
        anchors.append((block, anchor))
    return anchors
