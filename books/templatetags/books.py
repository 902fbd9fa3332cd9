"""``{% pdf_download page %}``: the "Download as PDF" link of a page that has a PDF edition, with its size."""

from django import template

from ..editions import latest_edition

register = template.Library()


def pdf_url(page, request=None):
    """The page's URL + ".pdf" (``books.views.page_pdf``)."""
    return page.get_url(request).rstrip("/") + ".pdf"


@register.inclusion_tag("books/includes/download_link.html", takes_context=True)
def pdf_download(context, page):
    """Nothing until the first edition exists: a link that would only say "being prepared" helps no one."""
    edition = latest_edition(page)
    if edition is None:
        return {}
    return {"url": pdf_url(page, context.get("request")), "edition": edition}
