"""What the site's Atom feeds share: one feed per language (the URL's language prefix chooses it), of live and
public pages only, each entry linking to its page as the reader reached the site."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from core.languages import active_language
from core.seo import absolute_url, meta_description, site_language_trees, site_name

FEED_LENGTH = 20


class LanguagePageFeed(Feed):
    feed_type = Atom1Feed
    model = None  # the page type listed

    def get_object(self, request, *args, **kwargs):
        # The feed object is shared between requests, so the request travels as the feed's "object".
        return request

    def link(self, request):
        return request.build_absolute_uri(f"/{active_language()}/")

    def author_name(self):
        return site_name()

    def pages(self, request):
        return (
            self.model.objects.live()
            .public()
            .filter(site_language_trees(request), locale__language_code=active_language())
        )

    def items(self, request):
        items = list(self.pages(request)[:FEED_LENGTH])
        for item in items:
            item.feed_link = absolute_url(request, item)
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return meta_description(item)

    def item_link(self, item):
        return item.feed_link

    def item_updateddate(self, item):
        return item.last_published_at
