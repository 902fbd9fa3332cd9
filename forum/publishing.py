"""A thread's summary becomes a news item: a draft NewsPage in the thread's language (else the default language's
news listing), written by the moderator, that goes through the news moderation workflow like any other item. The
thread itself stays members-only; only the summary the moderator wrote is published, and only when approved."""

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape, linebreaks
from wagtail.rich_text import RichText

from news.models import NewsIndexPage, NewsPage


def news_listing(language):
    listings = NewsIndexPage.objects.filter(locale__language_code__in={language, settings.LANGUAGE_CODE})
    by_language = {listing.locale.language_code: listing for listing in listings.select_related("locale")}
    return by_language.get(language) or by_language.get(settings.LANGUAGE_CODE)


def may_write_news(user, listing):
    return listing is not None and listing.permissions_for_user(user).can_add_subpage()


def create_news_draft(thread, user, title, summary):
    listing = news_listing(thread.language)
    page = NewsPage(
        title=title,
        summary=summary,
        date=timezone.localdate(),
        body=[("paragraph", RichText(linebreaks(escape(summary))))],
        live=False,
        owner=user,
    )
    listing.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    thread.news_item = page
    thread.save(update_fields=["news_item"])
    return page
