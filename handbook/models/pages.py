"""The Handbook of Good Practices and the practice case studies it draws on."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.blocks import RICH_TEXT_FEATURES, BaseStreamBlock, FigureBlock, ReferenceBlock, anchored_blocks
from core.fallback import in_original_order, with_originals
from core.images import LeadImageMixin, with_lead_images
from core.languages import active_language, collation_key, country_name, in_active_language
from core.pagination import paginate
from core.prepared import PreparedQuery
from core.restrictions import ViewRestrictionsMixin
from translations.permissions import LanguagePermissionsMixin

from .editing import CaseStudyPageForm, LocalizedLinksPageForm
from .filters import FACET_CODES_FIELD, FILTERS, PracticeFilters, facet_codes
from .people import CentreOfExcellence, Expert, Visibility
from .review import SAFEGUARDS, CaseStudyPermissionTester, case_study_workflow, safeguards_review_date
from .taxonomy import Country, Term, Vocabulary, default_language_terms, localized_terms

SAFEGUARDS_HEADING = _("human-rights and gender safeguards")

# A case study's links to taxonomy terms (besides its implementing country's region).
LINKED_TERM_FIELDS = ("pillars", "themes", "target_groups", "modalities", "actor_types")
# Where a case study keeps the texts it computed for the index during one indexing pass (``_once_per_pass``).
INDEXED_TEXTS = "_indexed_texts"


def safeguard_field(name):
    """The case study's field for one item of ``review.SAFEGUARDS``: its label and help text come from there, so
    the editor's form and the reviewer's checklist name the same four things."""
    safeguard = next(safeguard for safeguard in SAFEGUARDS if safeguard.name == name)
    return RichTextField(safeguard.title, features=RICH_TEXT_FEATURES, help_text=safeguard.help_text)


def _once_per_pass(method):
    """``method``'s text for the search index, computed once per indexing pass rather than each time a backend asks
    for it: the database backend asks three times (once for each column it fills: title, autocomplete, body), an
    engine backend once more, and each computation costs several queries. A pass starts afresh
    (``CaseStudyPage.get_indexed_instance``), and saving or reloading the page forgets what was computed, so an
    edited page is never indexed with its old links."""

    @functools.wraps(method)
    def once(self):
        texts = self.__dict__.setdefault(INDEXED_TEXTS, {})
        if method.__name__ not in texts:
            texts[method.__name__] = method(self)
        return texts[method.__name__]

    return once


def _translation_keys(relation):
    """The translation keys of a page's many-to-many links: a subquery when the links are the database's, a list
    when a preview or a revision holds them in memory (modelcluster's FakeQuerySet cannot be a subquery)."""
    keys = relation.values_list("translation_key", flat=True)
    return keys if isinstance(keys, models.QuerySet) else list(keys)


class HandbookPage(ViewRestrictionsMixin, LanguagePermissionsMixin, Page):
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
        context["chapters"] = in_original_order(
            with_originals(ChapterPage.objects.live(), self).select_related("pillar", "locale")
        )
        return context


class ChapterPage(ViewRestrictionsMixin, LanguagePermissionsMixin, LeadImageMixin, Page):
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
        LeadImageMixin.lead_image_panel,
        FieldPanel("body"),
        FieldPanel("references"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        # The sources a chapter cites name what it is about (the Plan of Action to Prevent Violent Extremism, a
        # Security Council resolution): a reader searching for them is looking for the chapter.
        index.SearchField("references"),
        index.FilterField("pillar_id"),
    ]
    override_translatable_fields = [SynchronizedField("pillar")]
    base_form_class = LocalizedLinksPageForm
    parent_page_types = ["handbook.HandbookPage"]
    subpage_types = []
    # Each chapter links the previous and the next one: the page cache purges the chapters when one changes.
    cache_follows = ("handbook.ChapterPage",)
    schema_org_type = "Article"  # the page's schema.org description in its head (core/seo.py)

    class Meta:
        verbose_name = _("handbook chapter")

    @property
    def sections(self):
        """``(anchor, heading)`` of each section of the body, in order: the chapter's table of contents, whose
        links point at the ids the headings are rendered with (``core.blocks.anchored_blocks``)."""
        return [(anchor, block.value["text"]) for block, anchor in anchored_blocks(self.body) if anchor]

    @property
    def headings(self):
        return [heading for _anchor, heading in self.sections]

    def reading_order(self):
        """The previous and next live chapters of the handbook in the same language, in the tree's order (None at
        either end)."""
        # One query for the siblings (a handbook has a chapter or two per pillar): those of the same depth whose path
        # lies between the parent's and the parent's last possible child's.
        if not self.pk:  # a preview of a chapter not yet saved
            return None, None
        parent_path = self.path[: -self.steplen]
        siblings = _light_pages(
            _SIBLING_CHAPTERS(
                depth=self.depth,
                after=parent_path,
                until=parent_path + self.alphabet[-1] * self.steplen,
                page_id=self.pk,
            )
        )
        previous = [chapter for chapter in siblings if chapter.path < self.path]
        following = [chapter for chapter in siblings if chapter.path > self.path]
        return (
            max(previous, key=lambda chapter: chapter.path, default=None),
            min(following, key=lambda chapter: chapter.path, default=None),
        )

    def pillar_term(self):
        """The chapter's pillar, published, in the active language where translated (as a dict: code, name)."""
        if not self.pillar_id:
            return None
        rows = _in_language(_PILLAR(term_id=self.pillar_id, languages=_languages()))
        return rows[0] if rows else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["pillar"] = self.pillar_term()
        context["previous_chapter"], context["next_chapter"] = self.reading_order()
        context["practices"] = (
            _light_pages(_CHAPTER_PRACTICES(locale_id=self.locale_id, page_id=self.pk)) if self.pk else []
        )
        return context


class CaseStudyIndexPage(ViewRestrictionsMixin, LanguagePermissionsMixin, Page):
    """The list of practice case studies, which readers filter by pillar, region, country, theme and target group."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["handbook.CaseStudyPage"]
    max_count_per_parent = 1
    # Its filters name every term and country: the page cache purges it when one changes (core/invalidation.py).
    cache_follows = ("handbook.Term", "handbook.Country")
    per_page = 12

    class Meta:
        verbose_name = _("case study listing")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = PracticeFilters(request)
        # Only what every reader may open: no draft, nothing behind a view restriction (in the list or the counts).
        visible = with_originals(CaseStudyPage.objects.live().public(), self)
        filters.count(visible)
        practices = (
            filters.apply(visible.order_by("-last_reviewed", "title"))
            .select_related("implementing_country__region", "locale")
            .prefetch_related("pillars")
        )
        practices = with_lead_images(practices)
        page = paginate(request, practices, self.per_page)
        cards = list(page.object_list)
        for card in cards:
            card.localized_pillars = localized_terms(request, card.pillars.all())
            card.localized_region = localized_terms(request, [card.implementing_country.region])[0]
        context.update(filters=filters, practices=page, cards=cards, paginator=page.paginator)
        return context


class CaseStudyPage(ViewRestrictionsMixin, LanguagePermissionsMixin, LeadImageMixin, Page):
    """One documented practice: where and between whom, how it aligns with the Strategy, what it achieved.

    The human-rights and gender safeguards section is mandatory: the four items the reviewer checks (legal basis, do
    no harm, data protection, gender) each have a required field.
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
        SUBMITTED = "submitted", _("Proposed, not yet validated")
        VERIFIED = "verified", _("Verified by a focal point")
        PEER_REVIEWED = "peer-reviewed", _("Peer reviewed")
        FEATURED = "featured", _("Featured in the handbook")

    summary = models.TextField(_("summary"), max_length=300, help_text=_("One paragraph, at most 300 characters."))
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    last_reviewed = models.DateField(
        _("content last checked"),
        null=True,
        blank=True,
        help_text=_("When the programme last checked that this description is accurate; shown to readers."),
    )
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
    safeguards_legal_basis = safeguard_field("legal_basis")
    safeguards_do_no_harm = safeguard_field("do_no_harm")
    safeguards_data_protection = safeguard_field("data_protection")
    safeguards_gender = safeguard_field("gender")
    lessons = RichTextField(_("lessons learned"), features=RICH_TEXT_FEATURES, blank=True)
    sustainability = RichTextField(_("sustainability"), features=RICH_TEXT_FEATURES, blank=True)
    transfer = RichTextField(_("conditions for transfer"), features=RICH_TEXT_FEATURES, blank=True)
    resources = RichTextField(_("resources and funders"), features=RICH_TEXT_FEATURES, blank=True)
    images = StreamField(
        [("image", FigureBlock())],
        verbose_name=_("images"),
        blank=True,
        help_text=_("Photographs or diagrams of the practice, shown after the narrative."),
    )

    chapters = ParentalManyToManyField(
        "handbook.ChapterPage", verbose_name=_("handbook chapters"), blank=True, related_name="practices"
    )
    experts = ParentalManyToManyField(Expert, verbose_name=_("focal points"), blank=True, related_name="practices")
    centres = ParentalManyToManyField(
        CentreOfExcellence, verbose_name=_("centres of excellence"), blank=True, related_name="practices"
    )
    # The programme's own validation of the practice's content: not the human-rights safeguards review, which is a
    # step of the publication workflow (``review.py``), hence the wording.
    review_stage = models.CharField(
        _("programme validation level"),
        max_length=20,
        choices=ReviewStage.choices,
        default=ReviewStage.SUBMITTED,
        help_text=_(
            "How far the programme has validated the practice's content. The human-rights safeguards review and the "
            "approval for publication happen in the workflow, not here."
        ),
    )
    archived = models.BooleanField(_("archived"), default=False, help_text=_("No longer kept up to date."))

    SAFEGUARD_FIELDS = [safeguard.field_name for safeguard in SAFEGUARDS]
    NARRATIVE_FIELDS = [
        "context",
        "approach",
        "activities",
        "results",
        *SAFEGUARD_FIELDS,
        "lessons",
        "sustainability",
        "transfer",
        "resources",
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        LeadImageMixin.lead_image_panel,
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
            [FieldPanel(name) for name in ["context", "approach", "activities", "results"]],
            heading=_("Narrative"),
        ),
        MultiFieldPanel(
            [FieldPanel(name) for name in SAFEGUARD_FIELDS],
            heading=SAFEGUARDS_HEADING,
            help_text=_("Mandatory: the reviewer checks each of these four items before the practice is published."),
        ),
        MultiFieldPanel(
            [
                *[FieldPanel(name) for name in ["lessons", "sustainability", "transfer", "resources"]],
                FieldPanel("evidence_level"),
                FieldPanel("images"),
            ],
            heading=_("Results and transfer"),
        ),
        MultiFieldPanel([FieldPanel("chapters"), FieldPanel("experts"), FieldPanel("centres")], heading=_("Links")),
        MultiFieldPanel(
            [
                FieldPanel("original_language"),
                FieldPanel("review_stage"),
                FieldPanel("last_reviewed"),
                FieldPanel("archived"),
            ],
            heading=_("Programme validation"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        *[index.SearchField(name) for name in NARRATIVE_FIELDS],
        # What a reader types besides the text: places, topics and people, in the page's own language; weighted
        # below the title and summary (boost 2) so that a practice about Kenya outranks one merely done there.
        index.SearchField("indexed_places", boost=1.5),
        index.SearchField("indexed_topics", boost=1.5),
        index.SearchField("indexed_people", boost=1.5),
        index.FilterField("implementing_country_id"),
        index.FilterField("review_stage"),
        *[index.FilterField(facet.index_field) for facet in FILTERS],
        index.FilterField(FACET_CODES_FIELD),
    ]
    override_translatable_fields = [TranslatableField(name) for name in ["summary", *NARRATIVE_FIELDS, "images"]] + [
        SynchronizedField("start_year"),
        SynchronizedField("end_year"),
        SynchronizedField("last_reviewed"),
        # The same in every language and shown by name (the country's from CLDR, the choices' labels from the
        # catalogues); offered to translators they would only show an ID or a code.
        *[
            SynchronizedField(name, overridable=False)
            for name in [
                "implementing_country",
                "original_language",
                "status",
                "cooperation_level",
                "evidence_level",
                "review_stage",
            ]
        ],
    ]
    base_form_class = CaseStudyPageForm
    parent_page_types = ["handbook.CaseStudyIndexPage"]
    subpage_types = []
    schema_org_type = "CreativeWork"  # schema.org has no type for a documented practice; a case study is a work

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
            .select_related("locale", "implementing_country__region")
            .prefetch_related("pillars", "themes", "target_groups", "partner_countries", "experts", "centres")
        )

    def get_indexed_instance(self):
        # modelsearch's indexing of one object starts here, then asks each backend: a new pass (_once_per_pass).
        self.__dict__.pop(INDEXED_TEXTS, None)
        return super().get_indexed_instance()

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        self.__dict__.pop(INDEXED_TEXTS, None)  # the links may have changed (_once_per_pass)
        return result

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.__dict__.pop(INDEXED_TEXTS, None)  # the links may have changed (_once_per_pass)

    def _in_page_language(self):
        """The page's language made active while the indexed text is built: each language's index must hold the
        names readers of that language type (the indexing command runs in the default language)."""
        return translation.override(self.locale.language_code)

    @_once_per_pass
    def indexed_places(self):
        """The implementing and partner countries (CLDR names) and the implementing country's region, as the
        page shows them in its language."""
        language = self.locale.language_code
        countries = [self.implementing_country, *self.partner_countries.all()]
        names = {country_name(country.code, language) for country in countries}
        with self._in_page_language():
            regions = in_active_language(Term.objects.published(), [self.implementing_country.region.translation_key])
        return " ".join(sorted(names) + [region.name for region in regions])

    @_once_per_pass
    def indexed_topics(self):
        """The labels of the pillars, themes and target groups in the page's language (pages link to the
        default-language terms; a term not yet translated is indexed under its default-language label)."""
        keys = [
            term.translation_key for terms in (self.pillars, self.themes, self.target_groups) for term in terms.all()
        ]
        if not keys:
            return ""
        with self._in_page_language():
            return " ".join(term.name for term in in_active_language(Term.objects.published(), keys))

    @_once_per_pass
    def indexed_people(self):
        """The names (and roles) of the focal points and centres linked: what the page shows every reader of them.
        Only public experts: the index is the same for every reader, so a restricted expert's name must not make the
        practice findable (``Expert.record_consent`` re-indexes the practices when a decision changes)."""
        with self._in_page_language():
            experts = in_active_language(Expert.objects.public(), [e.translation_key for e in self.experts.all()])
            centres = in_active_language(
                CentreOfExcellence.objects.published(), [c.translation_key for c in self.centres.all()]
            )
        return " ".join([*(f"{e.name} {e.role}".strip() for e in experts), *(c.name for c in centres)])

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
        """(name, heading, rich text) of each section written up; the safeguards are one section whose rich text is
        a list of (name, heading, rich text), one per item the reviewer checks."""
        safeguards = [
            (name, self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.SAFEGUARD_FIELDS
            if getattr(self, name)
        ]
        sections = []
        for name in self.NARRATIVE_FIELDS:
            if name == self.SAFEGUARD_FIELDS[0] and safeguards:
                sections.append(("safeguards", SAFEGUARDS_HEADING, safeguards))
            elif name not in self.SAFEGUARD_FIELDS and getattr(self, name):
                sections.append((name, self._meta.get_field(name).verbose_name, getattr(self, name)))
        return sections

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if request.user.is_authenticated:
            # Members and staff may see experts that anonymous readers may not: never from a shared cache.
            patch_cache_control(response, private=True)
        return response

    def _links_in_database(self, *names):
        # A live page's links are the database's; a preview or a revision holds them in memory (a FakeQuerySet).
        # modelcluster keeps those in ``_cluster_related_objects`` and answers with the database's otherwise
        # (``DeferringManyRelatedManager.get_queryset``): asked there, without building a queryset per field.
        held = getattr(self, "_cluster_related_objects", {})
        return bool(self.pk) and not any(name in held for name in names)

    def countries(self):
        """The implementing country and the partner countries (not repeating the implementing one), read in one
        query when the links are the database's (a preview or a revision holds the partners in memory)."""
        if self._links_in_database("partner_countries") and self.implementing_country_id:
            rows = [Country(**row) for row in _COUNTRIES(page_id=self.pk, country_id=self.implementing_country_id)]
            implementing = next(row for row in rows if row.pk == self.implementing_country_id)
            return implementing, [row for row in rows if row.pk != self.implementing_country_id]
        partners = self.partner_countries.all()
        return self.implementing_country, [c for c in partners if c.pk != self.implementing_country_id]

    def unnamed_focal_points(self, user):
        """The country of each linked expert ``user`` may not see, or not yet published (``""`` where none is
        recorded): the page says "a focal point in <country>" instead of their name, so the reader still knows the
        practice has one."""
        allowed = Visibility.levels_for(user)
        if self._links_in_database("experts"):
            codes = [
                row["expert__country__code"]
                for row in _LINKED_EXPERTS(page_id=self.pk)
                if row["expert__visibility"] not in allowed or not row["expert__live"]
            ]
            return sorted((country_name(code) if code else "" for code in codes), key=collation_key)
        countries = [
            expert.country for expert in self.experts.all() if expert.visibility not in allowed or not expert.live
        ]
        return sorted((country.name if country else "" for country in countries), key=collation_key)

    def named_experts(self, user):
        """The linked experts ``user`` may see (``Expert.objects.visible_to``), in the active language where
        translated, by name."""
        if self._links_in_database("experts"):
            levels = sorted(Visibility.levels_for(user))
            return _with_country(_in_language(_NAMED_EXPERTS(page_id=self.pk, levels=levels, languages=_languages())))
        return in_active_language(
            Expert.objects.visible_to(user).select_related("country"), _translation_keys(self.experts), ["name"]
        )

    def linked_centres(self):
        """The linked centres of excellence that are published, in the active language where translated, by name."""
        if self._links_in_database("centres"):
            return _with_country(_in_language(_LINKED_CENTRES(page_id=self.pk, languages=_languages())))
        return in_active_language(
            CentreOfExcellence.objects.published().select_related("country"), _translation_keys(self.centres), ["name"]
        )

    def linked_chapters(self):
        """The live handbook chapters linked, in the active language where translated, in the handbook's order."""
        if self._links_in_database("chapters"):
            return _light_pages(_in_language(_LINKED_CHAPTERS(page_id=self.pk, languages=_languages())))
        return in_active_language(ChapterPage.objects.live(), _translation_keys(self.chapters), ["path"])

    def _linked_terms(self):
        """The terms the page links to (and its implementing country's region), one per term in the active language
        where translated, else the default language's, as dicts (vocabulary, code, name) in the vocabulary's order."""
        if self._links_in_database(*LINKED_TERM_FIELDS) and self.implementing_country_id:
            return _in_language(
                _LINKED_TERMS(page_id=self.pk, country_id=self.implementing_country_id, languages=_languages())
            )
        linked = Term.objects.filter(
            models.Q(countries__pk=self.implementing_country_id)  # the implementing country's region
            | models.Q(translation_key__in=_translation_keys(self.pillars))
            | models.Q(translation_key__in=_translation_keys(self.themes))
            | models.Q(translation_key__in=_translation_keys(self.target_groups))
            | models.Q(translation_key__in=_translation_keys(self.modalities))
            | models.Q(translation_key__in=_translation_keys(self.actor_types))
        ).values("translation_key")
        return _in_language(_terms_in(linked, _languages()))

    def get_context(self, request, *args, **kwargs):
        # Links are read from the page itself, not looked up from the database by its id: a preview (which may
        # have no id yet) and "View draft" (a revision) hold the editor's choices in memory, not in the database.
        context = super().get_context(request, *args, **kwargs)
        by_vocabulary = {}
        for term in self._linked_terms():
            by_vocabulary.setdefault(term["vocabulary"], []).append(term)
        implementing, partners = self.countries()
        # A request built for a PDF edition (``books``) has no reader: it gets what anonymous readers get.
        reader = getattr(request, "user", None)
        context.update(
            terms=by_vocabulary,
            implementing_country=implementing,
            partner_countries=sorted(partners, key=lambda c: collation_key(c.name)),
            experts=self.named_experts(reader),
            unnamed_focal_points=self.unnamed_focal_points(reader),
            centres=self.linked_centres(),
            linked_chapters=self.linked_chapters(),
            safeguards_reviewed_at=safeguards_review_date(self),
        )
        return context


def _languages():
    """The active language and the default one: the rows ``_in_language`` chooses from."""
    return sorted({active_language(), settings.LANGUAGE_CODE})


def _in_language(rows):
    """One row per translation key (dicts with ``translation_key`` and ``locale__language_code``): the active
    language's where there is one, else the default language's; in the order the keys first come."""
    language = active_language()
    chosen = {}
    for row in rows:
        if row["translation_key"] not in chosen or row["locale__language_code"] == language:
            chosen[row["translation_key"]] = row
    return list(chosen.values())


def _with_country(rows):
    """Each row with ``country`` (a Country, named in the active language) from its ``country__code``."""
    for row in rows:
        row["country"] = Country(code=row["country__code"]) if row["country__code"] else None
    return rows


# What a link to a page needs: its address (``{% pageurl %}``) and its title.
LINK_FIELDS = ("id", "title", "url_path")


def _light_pages(rows):
    """Pages built from rows with ``LINK_FIELDS`` (and ``path`` where there is one), enough to link to them."""
    return [Page(**{name: row[name] for name in (*LINK_FIELDS, "path") if name in row}) for row in rows]


def _through(field, page_id):
    """The rows of a case study's many-to-many field ``field`` for the page ``page_id``."""
    return CaseStudyPage._meta.get_field(field).remote_field.through.objects.filter(casestudypage_id=page_id)


def _terms_in(translation_keys, languages):
    return (
        Term.objects.published()
        .filter(translation_key__in=translation_keys, locale__language_code__in=languages)
        .order_by("sort_order", "name")
        .values("translation_key", "vocabulary", "code", "name", "locale__language_code")
    )


def _linked_terms_query(page_id, country_id, languages):
    linked = models.Q(countries__pk=country_id)  # the implementing country's region
    for name in LINKED_TERM_FIELDS:
        linked |= models.Q(pk__in=_through(name, page_id).values("term_id"))
    return _terms_in(Term.objects.filter(linked).values("translation_key"), languages)


def _countries_query(page_id, country_id):
    linked = models.Q(pk=country_id) | models.Q(pk__in=_through("partner_countries", page_id).values("country_id"))
    return Country.objects.filter(linked).values("id", "code", "region_id")


def _named_experts_query(page_id, levels, languages):
    keys = Expert.objects.filter(pk__in=_through("experts", page_id).values("expert_id")).values("translation_key")
    return (
        Expert.objects.at_levels(levels)
        .filter(translation_key__in=keys, locale__language_code__in=languages)
        .order_by("name")
        .values("translation_key", "name", "role", "country__code", "locale__language_code")
    )


def _linked_centres_query(page_id, languages):
    linked = _through("centres", page_id).values("centreofexcellence_id")
    keys = CentreOfExcellence.objects.filter(pk__in=linked).values("translation_key")
    return (
        CentreOfExcellence.objects.published()
        .filter(translation_key__in=keys, locale__language_code__in=languages)
        .order_by("name")
        .values("translation_key", "name", "country__code", "locale__language_code")
    )


def _linked_chapters_query(page_id, languages):
    keys = Page.objects.filter(pk__in=_through("chapters", page_id).values("chapterpage_id")).values("translation_key")
    return (
        ChapterPage.objects.live()
        .filter(translation_key__in=keys, locale__language_code__in=languages)
        .order_by("path")
        .values(*LINK_FIELDS, "translation_key", "locale__language_code")
    )


def _sibling_chapters_query(depth, after, until, page_id):
    return (
        ChapterPage.objects.live()
        .filter(depth=depth, path__gt=after, path__lte=until)
        .exclude(pk=page_id)
        .values(*LINK_FIELDS, "path")
    )


def _pillar_query(term_id, languages):
    key = Term.objects.published().filter(pk=term_id).values("translation_key")
    return (
        Term.objects.published()
        .filter(translation_key__in=key, locale__language_code__in=languages)
        .values("translation_key", "code", "name", "locale__language_code")
    )


def _chapter_practices_query(locale_id, page_id):
    # The practices (in the chapter's language) that link to the chapter in any of its languages.
    key = Page.objects.filter(pk=page_id).values("translation_key")
    return (
        CaseStudyPage.objects.live()
        .filter(locale_id=locale_id, chapters__translation_key__in=key)
        .distinct()
        .order_by("title")
        .values(*LINK_FIELDS)[:12]
    )


# What a chapter shows besides its own text: its pillar, the practices that cite it, the previous and next chapters.
_PILLAR = PreparedQuery(_pillar_query)
_CHAPTER_PRACTICES = PreparedQuery(_chapter_practices_query)
_SIBLING_CHAPTERS = PreparedQuery(_sibling_chapters_query)
_LINKED_CHAPTERS = PreparedQuery(_linked_chapters_query)

# What a case study shows of its links, on every uncached request: each one query compiled once per process
# (core/prepared.py), a millisecond or two less each than building it anew. Previews and revisions, whose links are
# in memory, go through the ORM instead.
_LINKED_TERMS = PreparedQuery(_linked_terms_query)
_COUNTRIES = PreparedQuery(_countries_query)
_NAMED_EXPERTS = PreparedQuery(_named_experts_query)
_LINKED_EXPERTS = PreparedQuery(
    lambda page_id: _through("experts", page_id).values("expert__visibility", "expert__live", "expert__country__code")
)
_LINKED_CENTRES = PreparedQuery(_linked_centres_query)


# The engine indexes each filter's codes of a practice as a filter field named by ``Filter.index_field``.
for _filter in FILTERS:
    setattr(CaseStudyPage, _filter.index_field, _filter.index_method())
setattr(CaseStudyPage, FACET_CODES_FIELD, facet_codes)
