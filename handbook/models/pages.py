"""The Handbook of Good Practices and the practice case studies it draws on."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.blocks import RICH_TEXT_FEATURES, BaseStreamBlock, ReferenceBlock
from core.languages import in_active_language
from core.pagination import paginate

from .filters import FILTERS, PracticeFilters
from .people import CentreOfExcellence, Expert
from .review import CaseStudyPermissionTester, case_study_workflow, safeguards_review_date
from .taxonomy import Country, Term, Vocabulary, default_language_terms, localized_terms


class HandbookPage(Page):
    """The front page of the Handbook of Good Practices: an introduction and the table of contents."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["handbook.ChapterPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("handbook")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["chapters"] = ChapterPage.objects.child_of(self).live().select_related("pillar")
        return context


class ChapterPage(Page):
    """One chapter of the handbook, usually one per pillar of the Global Counter-Terrorism Strategy.

    Chapters are ordered as they are in the page tree; the body's headings make the chapter's contents list.
    """

    pillar = models.ForeignKey(
        Term,
        verbose_name=_("pillar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=default_language_terms(Vocabulary.PILLAR),
    )
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
    references = StreamField(
        [("reference", ReferenceBlock())],
        verbose_name=_("references"),
        blank=True,
        help_text=_("Numbered sources; cite them in the body as [1], [2] …"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("pillar"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("references"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("pillar_id"),
    ]
    override_translatable_fields = [SynchronizedField("pillar")]
    parent_page_types = ["handbook.HandbookPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("handbook chapter")

    @property
    def headings(self):
        return [block.value["text"] for block in self.body if block.block_type == "heading"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["pillar"] = localized_terms(request, [self.pillar])[0] if self.pillar_id else None
        context["practices"] = (
            CaseStudyPage.objects.live()
            .filter(locale_id=self.locale_id, chapters__translation_key=self.translation_key)
            .distinct()
            .order_by("title")[:12]
        )
        return context


class CaseStudyIndexPage(Page):
    """The list of practice case studies, which readers filter by pillar, region, country, theme and target group."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["handbook.CaseStudyPage"]
    max_count_per_parent = 1
    per_page = 12

    class Meta:
        verbose_name = _("case study listing")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = PracticeFilters(request)
        practices = (
            filters.apply(CaseStudyPage.objects.live().child_of(self).order_by("-last_reviewed", "title"))
            .select_related("implementing_country__region")
            .prefetch_related("pillars")
        )
        page = paginate(request, practices, self.per_page)
        cards = list(page.object_list)
        for card in cards:
            card.localized_pillars = localized_terms(request, card.pillars.all())
            card.localized_region = localized_terms(request, [card.implementing_country.region])[0]
        context.update(filters=filters, practices=page, cards=cards, paginator=page.paginator)
        return context


class CaseStudyPage(Page):
    """One documented practice: where and between whom, how it aligns with the Strategy, what it achieved.

    The human-rights and gender safeguards section is mandatory: a practice is only published with it.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        DISCONTINUED = "discontinued", _("Discontinued")

    class CooperationLevel(models.TextChoices):
        BILATERAL = "bilateral", _("Bilateral")
        REGIONAL = "regional", _("Regional")
        INTERREGIONAL = "interregional", _("Interregional")
        TRIANGULAR = "triangular", _("Triangular")

    class EvidenceLevel(models.TextChoices):
        NONE = "none", _("No evaluation yet")
        MONITORING = "monitoring", _("Monitoring data")
        INTERNAL = "internal-evaluation", _("Internal evaluation")
        INDEPENDENT = "independent-evaluation", _("Independent evaluation")

    class ReviewStage(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified by a focal point")
        PEER_REVIEWED = "peer-reviewed", _("Peer reviewed")
        FEATURED = "featured", _("Featured in the handbook")

    summary = models.TextField(_("summary"), max_length=300, help_text=_("One paragraph, at most 300 characters."))
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    last_reviewed = models.DateField(_("date last reviewed"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ONGOING)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)

    implementing_country = models.ForeignKey(
        Country, verbose_name=_("implementing country"), on_delete=models.PROTECT, related_name="practices"
    )
    partner_countries = ParentalManyToManyField(
        Country, verbose_name=_("partner countries"), blank=True, related_name="partner_practices"
    )
    cooperation_level = models.CharField(
        _("level of cooperation"), max_length=20, choices=CooperationLevel.choices, default=CooperationLevel.BILATERAL
    )
    pillars = ParentalManyToManyField(
        Term,
        verbose_name=_("pillars"),
        related_name="pillar_practices",
        limit_choices_to=default_language_terms(Vocabulary.PILLAR),
    )
    themes = ParentalManyToManyField(
        Term,
        verbose_name=_("themes"),
        blank=True,
        related_name="theme_practices",
        limit_choices_to=default_language_terms(Vocabulary.THEME),
    )
    target_groups = ParentalManyToManyField(
        Term,
        verbose_name=_("target groups"),
        blank=True,
        related_name="target_group_practices",
        limit_choices_to=default_language_terms(Vocabulary.TARGET_GROUP),
    )
    modalities = ParentalManyToManyField(
        Term,
        verbose_name=_("modalities"),
        blank=True,
        related_name="modality_practices",
        limit_choices_to=default_language_terms(Vocabulary.MODALITY),
    )
    actor_types = ParentalManyToManyField(
        Term,
        verbose_name=_("implementing actors"),
        blank=True,
        related_name="actor_type_practices",
        limit_choices_to=default_language_terms(Vocabulary.ACTOR_TYPE),
    )
    evidence_level = models.CharField(
        _("evidence level"), max_length=30, choices=EvidenceLevel.choices, default=EvidenceLevel.NONE
    )

    context = RichTextField(_("context and challenge"), features=RICH_TEXT_FEATURES, blank=True)
    approach = RichTextField(_("approach"), features=RICH_TEXT_FEATURES, blank=True)
    activities = RichTextField(_("activities and outputs"), features=RICH_TEXT_FEATURES, blank=True)
    results = RichTextField(_("results"), features=RICH_TEXT_FEATURES, blank=True)
    safeguards = RichTextField(
        _("human-rights and gender safeguards"),
        features=RICH_TEXT_FEATURES,
        help_text=_("Mandatory: legal basis, do-no-harm risks, data protection and gender considerations."),
    )
    lessons = RichTextField(_("lessons learned"), features=RICH_TEXT_FEATURES, blank=True)
    sustainability = RichTextField(_("sustainability"), features=RICH_TEXT_FEATURES, blank=True)
    transfer = RichTextField(_("conditions for transfer"), features=RICH_TEXT_FEATURES, blank=True)
    resources = RichTextField(_("resources and funders"), features=RICH_TEXT_FEATURES, blank=True)

    chapters = ParentalManyToManyField(
        "handbook.ChapterPage", verbose_name=_("handbook chapters"), blank=True, related_name="practices"
    )
    experts = ParentalManyToManyField(Expert, verbose_name=_("focal points"), blank=True, related_name="practices")
    centres = ParentalManyToManyField(
        CentreOfExcellence, verbose_name=_("centres of excellence"), blank=True, related_name="practices"
    )
    review_stage = models.CharField(
        _("review stage"), max_length=20, choices=ReviewStage.choices, default=ReviewStage.SUBMITTED
    )
    archived = models.BooleanField(_("archived"), default=False, help_text=_("No longer kept up to date."))

    NARRATIVE_FIELDS = [
        "context",
        "approach",
        "activities",
        "results",
        "safeguards",
        "lessons",
        "sustainability",
        "transfer",
        "resources",
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("implementing_country"),
                FieldPanel("partner_countries"),
                FieldPanel("cooperation_level"),
                FieldRowPanel([FieldPanel("status"), FieldPanel("start_year"), FieldPanel("end_year")]),
            ],
            heading=_("Where, and between whom"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("pillars"),
                FieldPanel("themes"),
                FieldPanel("target_groups"),
                FieldPanel("modalities"),
                FieldPanel("actor_types"),
            ],
            heading=_("Framework alignment"),
        ),
        MultiFieldPanel(
            [FieldPanel(name) for name in NARRATIVE_FIELDS] + [FieldPanel("evidence_level")],
            heading=_("Narrative"),
        ),
        MultiFieldPanel([FieldPanel("chapters"), FieldPanel("experts"), FieldPanel("centres")], heading=_("Links")),
        MultiFieldPanel(
            [
                FieldPanel("original_language"),
                FieldPanel("review_stage"),
                FieldPanel("last_reviewed"),
                FieldPanel("archived"),
            ],
            heading=_("Curation"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        *[index.SearchField(name) for name in NARRATIVE_FIELDS],
        index.FilterField("implementing_country_id"),
        index.FilterField("review_stage"),
        *[index.FilterField(facet.index_field) for facet in FILTERS],
    ]
    override_translatable_fields = [TranslatableField(name) for name in ["summary", *NARRATIVE_FIELDS]] + [
        SynchronizedField("start_year"),
        SynchronizedField("end_year"),
        SynchronizedField("last_reviewed"),
    ]
    parent_page_types = ["handbook.CaseStudyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("practice case study")
        verbose_name_plural = _("practice case studies")

    def clean(self):
        super().clean()
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The end year cannot be before the start year.")})

    @classmethod
    def get_indexed_objects(cls):
        """Load what the facet fields read in a few queries per chunk rather than five per practice."""
        return (
            super()
            .get_indexed_objects()
            .select_related("implementing_country__region")
            .prefetch_related("pillars", "themes", "target_groups", "partner_countries")
        )

    @property
    def region(self):
        return self.implementing_country.region

    def get_workflow(self):
        """Case studies go through the "Case study review" workflow (human-rights safeguards review, then
        moderators' approval) wherever they sit in the tree and in whatever language, so a new listing page or a
        new locale cannot open a way round the review. Other pages keep the workflow assigned to their ancestors."""
        return case_study_workflow() or super().get_workflow()

    def permissions_for_user(self, user):
        return CaseStudyPermissionTester(user, self)

    def narrative_sections(self):
        sections = []
        for name in self.NARRATIVE_FIELDS:
            value = getattr(self, name)
            if value:
                sections.append((name, self._meta.get_field(name).verbose_name, value))
        return sections

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        linked_terms = Term.objects.filter(
            models.Q(pillar_practices=self)
            | models.Q(theme_practices=self)
            | models.Q(target_group_practices=self)
            | models.Q(modality_practices=self)
            | models.Q(actor_type_practices=self)
            | models.Q(countries__practices=self)
        ).values("translation_key")
        by_vocabulary = {}
        for term in in_active_language(Term.objects.all(), linked_terms, order_by=["sort_order", "name"]):
            by_vocabulary.setdefault(term.vocabulary, []).append(term)
        countries = list(Country.objects.filter(models.Q(practices=self) | models.Q(partner_practices=self)).distinct())
        partners = sorted((c for c in countries if c.pk != self.implementing_country_id), key=lambda c: c.name)
        context.update(
            terms=by_vocabulary,
            implementing_country=next(c for c in countries if c.pk == self.implementing_country_id),
            partner_countries=partners,
            experts=in_active_language(
                Expert.objects.select_related("country"), self.experts.values("translation_key"), ["name"]
            ),
            centres=in_active_language(
                CentreOfExcellence.objects.select_related("country"), self.centres.values("translation_key"), ["name"]
            ),
            linked_chapters=in_active_language(
                ChapterPage.objects.live(), self.chapters.values("translation_key"), ["path"]
            ),
            safeguards_reviewed_at=safeguards_review_date(self),
        )
        return context


# The engine indexes each filter's codes of a practice as a filter field named by ``Filter.index_field``.
for _filter in FILTERS:
    setattr(CaseStudyPage, _filter.index_field, _filter.index_method())
