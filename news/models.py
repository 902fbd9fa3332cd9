"""News and events of the programme: announcements, training workshops, expert forum meetings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from core.blocks import BaseStreamBlock
from core.fallback import with_originals
from core.images import LeadImageMixin, with_lead_images
from core.pagination import paginate
from core.restrictions import ViewRestrictionsMixin
from translations.permissions import LanguagePermissionsMixin


class NewsIndexPage(ViewRestrictionsMixin, LanguagePermissionsMixin, Page):
    """The list of news items and events, newest first."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count_per_parent = 1
    per_page = 10

    class Meta:
        verbose_name = _("news listing")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = with_originals(NewsPage.objects.live(), self).select_related("locale").order_by("-date", "-pk")
        kind = request.GET.get("kind")
        if kind in NewsPage.Kind.values:
            items = items.filter(kind=kind)
        page = paginate(request, with_lead_images(items), self.per_page)
        context.update(items=page, kind=kind if kind in NewsPage.Kind.values else "", kinds=NewsPage.Kind.choices)
        return context


class NewsPage(ViewRestrictionsMixin, LanguagePermissionsMixin, LeadImageMixin, Page):
    """A news item, or an event (a training workshop, an expert forum meeting) with its date and place."""

    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        EVENT = "event", _("Event")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEWS)
    # The item's own date, shown to readers and used to order the listing. It is not when the page goes live:
    # that is the publishing schedule (go-live/expiry, in the admin's time zone), which editors confused with it.
    date = models.DateField(
        _("date shown to readers"),
        help_text=_(
            "The day of the news, or the first day of the event, as readers see it. It does not publish the page: "
            "to choose when the page goes live, set a publishing schedule."
        ),
    )
    end_date = models.DateField(
        _("last day of the event"),
        null=True,
        blank=True,
        help_text=_("Events only, shown to readers: leave empty for a one-day event."),
    )
    place = models.CharField(
        _("place of the event"),
        max_length=255,
        blank=True,
        help_text=_("Events only, shown to readers: city and country."),
    )
    summary = models.TextField(_("summary"), max_length=400)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("kind"), FieldPanel("date"), FieldPanel("end_date")]), FieldPanel("place")],
            heading=_("Date and place shown to readers"),
        ),
        FieldPanel("summary"),
        LeadImageMixin.lead_image_panel,
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("date"),
    ]
    # The kind is a code the same in every language (its label comes from the catalogues).
    override_translatable_fields = [
        SynchronizedField("date"),
        SynchronizedField("end_date"),
        SynchronizedField("kind", overridable=False),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item or event")
        verbose_name_plural = _("news items and events")

    @property
    def schema_org_type(self):
        """The page's schema.org type in its head (core/seo.py)."""
        return "Event" if self.kind == self.Kind.EVENT else "NewsArticle"

    def extend_structured_data(self, data):
        if self.kind == self.Kind.EVENT:
            data["startDate"] = self.date
            data["endDate"] = self.end_date or self.date
            data["location"] = {"@type": "Place", "name": self.place, "address": self.place}
        else:
            data["datePublished"] = self.date

    def clean(self):
        super().clean()
        if self.end_date and self.end_date < self.date:
            raise ValidationError({"end_date": _("An event cannot end before it starts.")})
        if self.kind == self.Kind.EVENT and not self.place:
            raise ValidationError({"place": _("An event needs a place.")})
