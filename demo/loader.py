"""Build the sample site from the JSON files in ``demo/content/``.

English pages are created first; every other language comes through wagtail-localize, as a translator's work
would: a translation source per object (its segments written table by table: ``translation_source``), string
translations filled in from the data, then ``save_target`` (for a new snippet translation, the rows ``save_target``
writes, written directly: ``publish_snippet_translation``). The
build is idempotent: what exists already (matched by slug or code) is left as it is, so running it again neither
duplicates anything nor overwrites what editors have changed since.
"""

import contextlib
import html
import io
import json
import uuid
from datetime import date, timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from modelcluster.models import ClusterableModel, get_serializable_data_for_fields
from modelsearch import index as search_index
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler as search_on_save
from modelsearch.tasks import insert_or_update_object_task
from wagtail.images.models import Image
from wagtail.log_actions import log
from wagtail.models import DraftStateMixin, Locale, Page, ReferenceIndex, Revision, Site
from wagtail.rich_text import RichText
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import published
from wagtail.tasks import update_reference_index_task
from wagtail_localize.fields import copy_synchronised_fields
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    SegmentOverride,
    String,
    StringSegment,
    StringTranslation,
    Template,
    TemplateSegment,
    TranslatableObject,
    Translation,
    TranslationContext,
    TranslationLog,
    TranslationSource,
    get_schema_version,
)
from wagtail_localize.segments import OverridableSegmentValue, RelatedObjectSegmentValue, TemplateSegmentValue
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.segments.ingest import ingest_segments
from wagtail_localize.strings import StringValue, validate_translation_links

from accounts import roles
from accounts.models import MembershipRequest
from demo.illustrations import draw
from exchange.models import ExchangeRequest, State
from handbook.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    CentreOfExcellence,
    ChapterPage,
    Country,
    CoveragePage,
    Expert,
    HandbookPage,
    Term,
)
from handbook.models.people import ConsentRecord, Visibility
from handbook.models.review import SAFEGUARDS
from home.models import AboutPage, HomePage
from news.models import NewsIndexPage, NewsPage
from search.models import GlossaryEntry

from .sample_translations import load_translations, overlay

DATA_DIR = Path(__file__).resolve().parent / "content"
DEMO_PASSWORD = "south-south-demo"  # noqa: S105 - local demo accounts only, printed for the developer  # nosec B105
DEMO_USERS = [
    ("admin", None, True),
    ("editor", roles.EDITORS, False),
    ("moderator", roles.MODERATORS, False),
    ("translator", roles.TRANSLATORS, False),  # and "Translators: ar": translates into Arabic
    ("reviewer", roles.REVIEWERS, False),
    ("webmaster", roles.SITE_ADMINISTRATORS, False),
    ("member", roles.MEMBERS, False),  # a registered member; also the sample expert Farid's own account
    ("programme", roles.PROGRAMME_STAFF, False),  # brokers the sample exchange requests
]
VOCABULARY_FILES = ["pillar", "region", "theme", "target_group", "modality", "actor_type"]


def load(name):
    with open(DATA_DIR / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


def paragraphs_html(paragraphs, language="en"):
    return "".join(f"<p>{html.escape(paragraph[language])}</p>" for paragraph in paragraphs)


def about_body(blocks, language="en"):
    """The about page's StreamField from its blocks in ``about.json``: real headings, quotation and lists, so
    screen readers and the page's outline find them (not paragraphs dressed up as headings or bullets)."""
    body = []
    for block in blocks:
        if "heading" in block:
            body.append(("heading", {"text": block["heading"][language]}))
        elif "quote" in block:
            body.append(("quote", {"quote": block["quote"][language], "attribution": block["attribution"][language]}))
        elif "list" in block:
            items = "".join(f"<li>{html.escape(item[language])}</li>" for item in block["list"])
            body.append(("paragraph", RichText(f"<ul>{items}</ul>")))
        else:
            body.append(("paragraph", RichText(paragraphs_html([block["paragraph"]], language))))
    return body


@contextlib.contextmanager
def indexed_once():
    """Each object the load saves goes into Wagtail's reference index and the live search indexes once, in its final
    state, when the load ends, rather than at each of its saves: a page is saved three to six times on its way
    (created, revision, published, translated, illustrated), and those updates were a sixth of the load's time.
    Nothing is queued for the search indexes when no backend updates live (the caller indexes the whole demo)."""
    saved = {}  # (model, pk) -> the tasks that would have been queued at its saves

    def record(sender, instance, raw=False, **kwargs):
        if raw:
            return
        tasks = set()
        if sender in ReferenceIndex.tracked_models:
            tasks.add(update_reference_index_task)
        if sender in searched:
            tasks.add(insert_or_update_object_task)
        if tasks:
            saved.setdefault((sender, str(instance.pk)), set()).update(tasks)

    def forget(sender, instance, **kwargs):
        saved.pop((sender, str(instance.pk)), None)

    searched = [model for model in search_index.get_indexed_models() if getattr(model, "search_auto_update", True)]
    for model in searched:
        post_save.disconnect(search_on_save, sender=model)
    post_save.connect(record, weak=False)
    post_delete.connect(forget, weak=False)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(record)
        post_delete.disconnect(forget)
        for model in searched:
            post_save.connect(search_on_save, sender=model)
    live_search = bool(get_search_backends(with_auto_update=True))
    for (model, pk), tasks in saved.items():
        for task in tasks:
            if task is update_reference_index_task or live_search:
                task.enqueue(model._meta.app_label, model._meta.model_name, pk)


class DemoBuilder:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.translations = {}  # language -> {english text: translated text}
        self.sources = {}  # (model label, pk) -> its wagtail-localize TranslationSource, extracted once
        self.created = 0

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    # --- translation memory -------------------------------------------------------------------------------
    def remember(self, value):
        """Record every {"en": …, "xx": …} pair found in ``value`` so that segments can be translated."""
        if isinstance(value, dict):
            if isinstance(value.get("en"), str):
                for language, text in value.items():
                    if language != "en" and isinstance(text, str):
                        memory = self.translations.setdefault(language, {})
                        memory[value["en"]] = text
                        memory[html.escape(value["en"])] = html.escape(text)
                        memory[html.escape(value["en"], quote=False)] = html.escape(text, quote=False)
            for item in value.values():
                self.remember(item)
        elif isinstance(value, list):
            for item in value:
                self.remember(item)

    # --- the build ------------------------------------------------------------------------------------------
    def run(self):
        """Build what is missing. Not one big transaction: wagtail-localize publishes a translation's revision on
        commit, and a revision published after its page's children were added would reset the page's child count."""
        self.data = {
            name: load(name)
            for name in [
                "taxonomy",
                "countries",
                "people",
                "case_studies",
                "handbook",
                "news",
                "about",
                "site",
                "illustrations",
                "exchange_requests",
                "glossary",
            ]
        }
        self.sample_translations = load_translations()
        for language, translated in self.sample_translations.items():
            for name, value in translated.items():
                if name in self.data:
                    overlay(self.data[name], value, language, name)
        self.remember(self.data)

        with indexed_once():
            self.build()
        return self.created

    def build(self):
        self.locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES}
        self.en = self.locales["en"]
        self.build_taxonomy()
        self.build_countries()
        self.build_people()
        home = self.build_pages()
        self.illustrate(home, "en")
        self.translate_tree(home, "ar")
        self.illustrate(home, "ar")  # pages translated before the demo had pictures
        for language, translated in self.sample_translations.items():
            self.translate_tree(home, language, slugs=set(translated["pages"]))
            self.illustrate(home, language)
        self.build_users()
        made = build_exchange_requests(self)
        self.created += made
        self.log(f"Exchange requests: {made} sample requests added")
        self.build_glossary()

    def build_glossary(self):
        """The sample search glossary: each entry in every language, linked as translations of the English one."""
        for item in self.data["glossary"]["entries"]:
            english = GlossaryEntry.objects.filter(locale=self.en, term=item["en"][0]).first()
            for language, words in item.items():
                locale = self.locales[language]
                if GlossaryEntry.objects.filter(locale=locale, term=words[0]).exists():
                    continue
                fields = {"locale": locale, "term": words[0], "synonyms": "\n".join(words[1:])}
                if english is not None:
                    fields["translation_key"] = english.translation_key
                entry = GlossaryEntry.objects.create(**fields)
                english = english or entry
                self.created += 1
        self.log(f"Search glossary: {len(self.data['glossary']['entries'])} terms")

    def build_taxonomy(self):
        self.terms = {}
        for vocabulary in VOCABULARY_FILES:
            for order, item in enumerate(self.data["taxonomy"][vocabulary]):
                term = Term.objects.filter(vocabulary=vocabulary, code=item["code"], locale=self.en).first()
                if term is None:
                    term = Term.objects.create(
                        vocabulary=vocabulary,
                        code=item["code"],
                        name=item["name"]["en"],
                        description=item.get("description", {}).get("en", ""),
                        sort_order=order,
                        locale=self.en,
                    )
                    self.created += 1
                self.terms[(vocabulary, item["code"])] = term
                for language in item["name"]:
                    if language != "en":
                        self.translate(term, language)
        self.log(f"Taxonomy: {len(self.terms)} terms in {len(self.locales)} languages")

    def build_countries(self):
        self.countries = {}
        for item in self.data["countries"]:
            country, created = Country.objects.get_or_create(
                code=item["code"], defaults={"region": self.terms[("region", item["region"])]}
            )
            self.created += created
            self.countries[item["code"]] = country
        self.log(f"Countries: {len(self.countries)}")

    def build_people(self):
        self.experts, self.centres = {}, {}
        for item in self.data["people"]["experts"]:
            expert = Expert.objects.filter(name=item["name"], locale=self.en).first()
            if expert is None:
                expert = Expert.objects.create(
                    name=item["name"],
                    name_latin=item["name"],
                    role=item["role"]["en"],
                    bio=item["bio"]["en"],
                    country=self.countries.get(item["country"]),
                    languages=item.get("languages", ""),
                    locale=self.en,
                )
                expert.pillars.set([self.terms[("pillar", code)] for code in item.get("pillars", [])])
                expert.themes.set([self.terms[("theme", code)] for code in item.get("themes", [])])
                self.created += 1
            self.experts[item["slug"]] = expert
            for language in self.people_languages():
                # The name in the reader's script, when the content gives it ("names": {"ar": ...}).
                name = item.get("names", {}).get(language)
                self.translate(expert, language, overrides={"name": name} if name else None)
            # The sample people's "consent", recorded once (by nobody: the loader) so the directory shows them.
            if not ConsentRecord.objects.filter(expert_key=expert.translation_key).exists():
                expert.record_consent(item.get("visibility", Visibility.PUBLIC), recorded_by=None)
        for item in self.data["people"]["centres"]:
            centre = CentreOfExcellence.objects.filter(name=item["name"]["en"], locale=self.en).first()
            if centre is None:
                centre = CentreOfExcellence.objects.create(
                    name=item["name"]["en"],
                    description=item["description"]["en"],
                    country=self.countries.get(item["country"]),
                    city=item.get("city", {}).get("en", ""),
                    locale=self.en,
                )
                centre.pillars.set([self.terms[("pillar", code)] for code in item.get("pillars", [])])
                centre.themes.set([self.terms[("theme", code)] for code in item.get("themes", [])])
                centre.experts.set([self.experts[slug] for slug in item.get("experts", [])])
                self.created += 1
            self.centres[item["slug"]] = centre
            for language in self.people_languages():
                self.translate(centre, language)
        self.log(f"People: {len(self.experts)} experts, {len(self.centres)} centres of excellence")

    def people_languages(self):
        """Arabic, and each sample translation that translates the directories (``people`` in its file)."""
        return ["ar", *(language for language, data in self.sample_translations.items() if "people" in data)]

    # --- pages ----------------------------------------------------------------------------------------------
    def child(self, parent, model, slug, **fields):
        """The child page of ``parent`` with this slug, created and published if missing."""
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            self.add_search_description(existing.specific, fields.get("search_description", ""))
            return existing.specific
        page = model(slug=slug, locale=parent.locale, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        return page

    def add_search_description(self, page, text):
        """Give a page that was built before the demo had search descriptions its description, where nobody has
        written one and no draft is waiting (publishing would put an editor's unfinished draft live)."""
        if not text or page.search_description or page.has_unpublished_changes:
            return
        page.search_description = text
        page.save_revision().publish()

    def home_page(self):
        root = Page.get_first_root_node()
        home = root.get_children().filter(slug="home", locale=self.en).first()
        if home is not None and home.specific_class is Page:
            # Wagtail's "Welcome to your new Wagtail site!" placeholder: replaced by the real home page.
            Site.objects.filter(root_page=home).delete()
            home.delete()
            home = None
        site_data = self.data["site"]["home"]
        if home is None:
            home = HomePage(
                title=site_data["title"]["en"],
                slug="home",
                intro=site_data["intro"]["en"],
                search_description=site_data["search_description"]["en"],
                locale=self.en,
            )
            root.add_child(instance=home)
            home.save_revision().publish()
            self.created += 1
        home = home.specific
        self.add_search_description(home, site_data["search_description"]["en"])
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=settings.WAGTAIL_SITE_NAME,
            )
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save()
        return home

    def build_pages(self):
        home = self.home_page()
        handbook_data = self.data["handbook"]
        handbook = self.child(
            home,
            HandbookPage,
            "handbook",
            title=self.data["site"]["handbook"]["title"]["en"],
            seo_title=handbook_data["handbook"]["title"]["en"],
            search_description=self.data["site"]["handbook"]["search_description"]["en"],
            intro=paragraphs_html(handbook_data["handbook"]["intro"]),
            show_in_menus=True,
        )
        sections = self.data["site"]
        practices = self.child(
            home,
            CaseStudyIndexPage,
            "practices",
            title=sections["practices"]["title"]["en"],
            search_description=sections["practices"]["search_description"]["en"],
            show_in_menus=True,
            intro=paragraphs_html([sections["practices"]["intro"]]),
        )
        self.child(
            home,
            CoveragePage,
            "coverage",
            title=sections["coverage"]["title"]["en"],
            search_description=sections["coverage"]["search_description"]["en"],
            show_in_menus=True,
            intro=paragraphs_html([sections["coverage"]["intro"]]),
        )
        news_index = self.child(
            home,
            NewsIndexPage,
            "news",
            title=sections["news"]["title"]["en"],
            search_description=sections["news"]["search_description"]["en"],
            show_in_menus=True,
            intro=sections["news"]["intro"]["en"],
        )
        about = self.data["about"]
        self.child(
            home,
            AboutPage,
            "about",
            title=about["title"]["en"],
            intro=about["intro"]["en"],
            search_description=about["search_description"]["en"],
            show_in_menus=True,
            body=about_body(about["body"]),
        )

        chapters = {}
        for chapter in handbook_data["chapters"]:
            body = []
            for section in chapter["sections"]:
                body.append(("heading", {"text": section["heading"]["en"]}))
                body.extend(("paragraph", RichText(paragraphs_html([p]))) for p in section["paragraphs"])
            chapters[chapter["pillar"]] = self.child(
                handbook,
                ChapterPage,
                chapter["slug"],
                title=chapter["title"]["en"],
                intro=chapter["intro"]["en"],
                pillar=self.terms[("pillar", chapter["pillar"])],
                body=body,
                references=[("reference", {"text": RichText(paragraphs_html([ref]))}) for ref in chapter["references"]],
            )

        for position, item in enumerate(self.data["case_studies"]):
            self.build_case_study(practices, item, chapters, position)

        for item in self.data["news"]:
            self.child(
                news_index,
                NewsPage,
                item["slug"],
                title=item["title"]["en"],
                kind=item["kind"],
                date=date.fromisoformat(item["date"]),
                place=(item.get("place") or {}).get("en", ""),
                summary=item["summary"]["en"],
                body=[("paragraph", RichText(paragraphs_html([p]))) for p in item["body"]],
            )
        self.log(f"Pages: {Page.objects.filter(locale=self.en).count()} in English")
        return home

    def build_case_study(self, parent, item, chapters, position):
        """One practice; those the data file marks "featured" (its first three) are featured on the home page."""
        existing = parent.get_children().filter(slug=item["slug"]).first()
        if existing is not None:
            return existing.specific
        sections = {
            name: paragraphs_html(paragraphs) for name, paragraphs in item["sections"].items() if name != "safeguards"
        }
        sections.update(
            {
                safeguard.field_name: paragraphs_html(item["sections"]["safeguards"][safeguard.name])
                for safeguard in SAFEGUARDS
            }
        )
        page = CaseStudyPage(
            slug=item["slug"],
            locale=self.en,
            title=item["title"]["en"],
            summary=item["summary"]["en"],
            implementing_country=self.countries[item["implementing_country"]],
            cooperation_level=item["cooperation_level"],
            status=item["status"],
            start_year=item["start_year"],
            end_year=item.get("end_year"),
            evidence_level=item["evidence_level"],
            last_reviewed=date(2026, 1 + position % 10, 15),
            review_stage=item["review_stage"],
            **{name: sections.get(name, "") for name in CaseStudyPage.NARRATIVE_FIELDS if name != "resources"},
        )
        page.partner_countries = [self.countries[code] for code in item["partner_countries"]]
        page.pillars = [self.terms[("pillar", code)] for code in item["pillars"]]
        page.themes = [self.terms[("theme", code)] for code in item["themes"]]
        page.target_groups = [self.terms[("target_group", code)] for code in item["target_groups"]]
        page.modalities = [self.terms[("modality", code)] for code in item.get("modalities", [])]
        page.actor_types = [self.terms[("actor_type", code)] for code in item.get("actor_types", [])]
        page.chapters = [chapters[code] for code in item.get("chapters", []) if code in chapters]
        page.experts = [self.experts[slug] for slug in item.get("experts", [])]
        page.centres = [self.centres[slug] for slug in item.get("centres", [])]
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        return page

    # --- sample illustrations ---------------------------------------------------------------------------------
    def illustration_image(self, item):
        """The illustration's image in the library, drawn (``demo/illustrations.py``) the first time."""
        title = f"Sample illustration: {item['motif']}"
        image = Image.objects.filter(title=title).first()
        if image is None:
            picture = ImageFile(io.BytesIO(draw(item["motif"], item["seed"])), name=f"sample-{item['motif']}.png")
            image = Image.objects.create(title=title, description=item["alt"]["en"], file=picture)
            self.created += 1
        return image

    def illustrate(self, home, language):
        """Give the pages named in ``illustrations.json`` their sample illustration as lead image, with its
        alternative text and the "Sample illustration" caption in the page's language, where the page has no lead
        image and no draft is waiting (publishing would put an editor's unfinished draft live)."""
        models = {"case_study": CaseStudyPage, "chapter": ChapterPage, "news": NewsPage}
        data = self.data["illustrations"]
        root = home if language == "en" else home.get_translation_or_none(self.locales[language])
        if root is None:
            return
        for item in data["illustrations"]:
            model = models[item["page"]["type"]]
            page = model.objects.descendant_of(root).filter(slug=item["page"]["slug"]).first()
            if page is None or page.lead_image_id or page.has_unpublished_changes:
                continue
            page.lead_image = self.illustration_image(item)
            page.lead_image_alt = item["alt"].get(language, item["alt"]["en"])
            page.lead_image_caption = data["caption"].get(language, data["caption"]["en"])
            page.save_revision().publish()

    # --- translations through wagtail-localize ----------------------------------------------------------------
    def translate_tree(self, home, language, slugs=None):
        """Translate the English pages (those whose slug is in ``slugs``, when given) into ``language``."""
        pages = [home, *home.get_descendants().filter(locale=self.en).order_by("path")]
        if slugs is not None:
            pages = [page for page in pages if page.slug in slugs]
        memory = self.translations.get(language, {})
        for page in pages:
            self.translate(page.specific, language)
            translated = page.get_translation(self.locales[language]).specific
            self.add_search_description(translated, memory.get(page.specific.search_description, ""))
        self.log(f"Pages: {Page.objects.filter(locale=self.locales[language]).count()} in {language}")

    def translate(self, instance, language, overrides=None):
        """Translate ``instance`` into ``language`` with wagtail-localize, unless that translation exists."""
        locale = self.locales[language]
        if instance.get_translations().filter(locale=locale).exists():
            return
        key = (instance._meta.label, instance.pk)
        with transaction.atomic():
            if key not in self.sources:
                self.sources[key] = translation_source(instance)
            translate_instance(instance, locale, self.translations.get(language, {}), overrides, self.sources[key])
        self.created += 1

    def build_users(self):
        User = get_user_model()
        self.accounts = []
        for username, group, superuser in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            created = user is None
            if created:
                user = User(
                    username=username,
                    email=f"{username}@example.org",
                    is_staff=superuser,
                    is_superuser=superuser,
                    first_name=username.capitalize(),
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
                if group:
                    user.groups.add(Group.objects.get(name=group))
                if group == roles.TRANSLATORS:
                    user.groups.add(Group.objects.get_or_create(name=roles.language_group_name("ar"))[0])
                self.created += 1
            self.accounts.append((username, group or "Administrator", created))
        # The demo member signs in on the public site (/en/members/login/, with member@example.org) as an approved
        # member would: a verified address and an approved request.
        member = User.objects.get(username="member")
        EmailAddress.objects.get_or_create(
            user=member, email=member.email, defaults={"verified": True, "primary": True}
        )
        MembershipRequest.objects.get_or_create(
            user=member,
            defaults={
                "full_name": "Member (sample account)",
                "organisation": "Sample organisation",
                "language": "en",
                "state": MembershipRequest.State.APPROVED,
                "decided_at": timezone.now(),
            },
        )
        # A sample expert signs in as the demo member, to show "My profile".
        for item in self.data["people"]["experts"]:
            if item.get("account"):
                Expert.objects.filter(translation_key=self.experts[item["slug"]].translation_key).update(
                    account=User.objects.get(username=item["account"])
                )


REQUESTER = {"requester_name": "Sample Requester", "email": "sample.requester@example.org"}


def translate_instance(instance, locale, memory, overrides=None, source=None):
    """Translate ``instance`` into ``locale`` and publish it, as a translator does in wagtail-localize's editor.

    ``memory`` maps source strings to their translation. ``overrides`` maps an overridable field (a
    ``SynchronizedField``, such as an expert's ``name``) to its value in this locale: it is stored as the
    translator's override, so a later sync from the source keeps it. ``source``: the instance's translation source,
    when the caller has it already (one per instance, whatever the number of languages).
    """
    if source is None:
        source = translation_source(instance)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    record_string_translations(source, locale, memory)
    for field, value in (overrides or {}).items():
        segment = OverridableSegment.objects.filter(source=source, context__path=field).first()
        if segment is None:
            raise ValueError(f"{type(instance).__name__}.{field} is not an overridable field")
        SegmentOverride.objects.update_or_create(
            locale=locale, context=segment.context, defaults={"data_json": json.dumps(value)}
        )
    new_snippet = isinstance(instance, DraftStateMixin) and not isinstance(instance, Page)
    if new_snippet and instance.get_translation_or_none(locale) is None:
        publish_snippet_translation(source, locale)
    else:
        translation.save_target(publish=True)


def translation_source(instance):
    """``TranslationSource.get_or_create_from_instance(instance)[0]``: the same source and segments, but a new
    source's segments are written table by table (``write_segments``), not by ``refresh_segments``, which looks up
    and writes each segment's string, context and segment one at a time and then saves each context again (a
    fifth of the load's queries)."""
    if isinstance(instance, Page):
        instance = instance.specific
    translatable, _ = TranslatableObject.objects.get_or_create_from_instance(instance)
    try:
        return TranslationSource.objects.get(object_id=translatable.translation_key, locale_id=instance.locale_id)
    except TranslationSource.DoesNotExist:
        pass
    if isinstance(instance, ClusterableModel):
        content_json = instance.to_json()
    else:
        content_json = json.dumps(get_serializable_data_for_fields(instance), cls=DjangoJSONEncoder)
    source = TranslationSource.objects.create(
        object=translatable,
        locale=instance.locale,
        specific_content_type=ContentType.objects.get_for_model(instance.__class__),
        object_repr=str(instance)[:200],
        content_json=content_json,
        schema_version=get_schema_version(instance._meta.app_label),
        last_updated_at=timezone.now(),
    )
    write_segments(source)
    return source


def write_segments(source):
    """What ``source.refresh_segments()`` writes for a source that has no segments yet: the strings, templates and
    contexts it lacks, then its segments, each table's rows in the order ``refresh_segments`` creates them (so they
    get the same ids), contexts with their field path (which it saves in a second query)."""
    instance = source.as_instance()
    values = extract_segments(instance)
    strings = {}  # data hash -> String
    templates = {}  # uuid -> Template
    string_hashes = [String._get_data_hash(value.string.data) for value in values if is_string_segment(value)]  # noqa: SLF001
    for string in String.objects.filter(locale_id=source.locale_id, data_hash__in=string_hashes):
        strings[string.data_hash] = string
    template_uuids = {}
    for value in values:
        if isinstance(value, TemplateSegmentValue):
            namespace = uuid.uuid5(Template.BASE_UUID_NAMESPACE, value.format)
            template_uuids[id(value)] = uuid.uuid5(namespace, value.template)
    templates.update({t.uuid: t for t in Template.objects.filter(uuid__in=template_uuids.values())})
    paths = list(dict.fromkeys(value.path for value in values))
    contexts = {c.path: c for c in TranslationContext.objects.filter(object_id=source.object_id, path__in=paths)}
    new_strings, new_templates, new_contexts = [], [], []
    rows = []  # (segment class, fields), in extraction order
    for value in values:
        if value.path not in contexts:
            context = TranslationContext(
                object_id=source.object_id,
                path=value.path,
                path_id=TranslationContext._get_path_id(value.path),  # noqa: SLF001
            )
            # get_field_path computes the path and saves it; the context is saved with it below, in one query.
            context.save = lambda **kwargs: None
            context.get_field_path(instance)
            del context.save
            contexts[value.path] = context
            new_contexts.append(context)
        context = contexts[value.path]
        if isinstance(value, TemplateSegmentValue):
            key = template_uuids[id(value)]
            if key not in templates:
                templates[key] = Template(
                    uuid=key, template=value.template, template_format=value.format, string_count=value.string_count
                )
                new_templates.append(templates[key])
            rows.append((TemplateSegment, {"template": templates[key]}, value, context))
        elif isinstance(value, RelatedObjectSegmentValue):
            related, _ = TranslatableObject.objects.get_or_create(
                content_type=value.content_type, translation_key=value.translation_key
            )
            rows.append((RelatedObjectSegment, {"object": related}, value, context))
        elif isinstance(value, OverridableSegmentValue):
            rows.append(
                (OverridableSegment, {"data_json": json.dumps(value.data, cls=DjangoJSONEncoder)}, value, context)
            )
        else:
            key = String._get_data_hash(value.string.data)  # noqa: SLF001
            if key not in strings:
                strings[key] = String(locale_id=source.locale_id, data_hash=key, data=value.string.data)
                new_strings.append(strings[key])
            attrs = json.dumps(value.attrs, cls=DjangoJSONEncoder)
            rows.append((StringSegment, {"string": strings[key], "attrs": attrs}, value, context))
    for existing in contexts.values():
        if existing not in new_contexts:
            existing.get_field_path(instance)  # as refresh_segments does: fills in a missing path
    String.objects.bulk_create(new_strings)
    Template.objects.bulk_create(new_templates)
    TranslationContext.objects.bulk_create(new_contexts)
    by_model = {}
    for model, fields, value, context in rows:
        by_model.setdefault(model, []).append(model(source=source, context=context, order=value.order, **fields))
    for model, segments in by_model.items():
        model.objects.bulk_create(segments)


def is_string_segment(value):
    return not isinstance(value, (TemplateSegmentValue, RelatedObjectSegmentValue, OverridableSegmentValue))


def source_instance(source):
    """``source.as_instance()``, built once per source object: the loader keeps one source per object for all its
    languages, and reading the row and its relations back again for each language was a sixth of the snippet
    translations' queries. Only read from (copied, ingested from), never saved."""
    if not hasattr(source, "demo_instance"):
        source.demo_instance = source.as_instance()
    return source.demo_instance


def publish_snippet_translation(source, locale):
    """What ``Translation.save_target(publish=True)`` writes for a snippet not yet translated into ``locale``: the
    translated row, its one revision, published, the publication's log entry and wagtail-localize's translation log,
    the same rows, so a translator opens, syncs and edits it as any other. Written directly: wagtail-localize saves
    the row three times and reads the revision back to publish it, which made the load's 325 snippet translations
    (terms, experts, centres) a third of its time."""
    original = source_instance(source)
    target = original.copy_for_translation(locale)
    copy_synchronised_fields(original, target)
    segments = source._get_segments_for_translation(locale, fallback=True)  # noqa: SLF001 - as save_target reads them
    ingest_segments(original, target, source.locale, locale, segments)
    target.live = True
    target.save()
    target.full_clean()  # as save_revision does: the translated row is valid, or the load stops here
    revision = Revision.objects.create(
        content_object=target,
        base_content_type=target.get_base_content_type(),
        content=target.serializable_data(),
        object_str=str(target),
    )
    now = timezone.now()
    target.latest_revision = target.live_revision = revision
    target.has_unpublished_changes = target.expired = False
    target.first_published_at = target.last_published_at = now
    target.save(
        update_fields=[
            "latest_revision",
            "live_revision",
            "has_unpublished_changes",
            "expired",
            "first_published_at",
            "last_published_at",
        ]
    )
    published.send(sender=type(target), instance=target, revision=revision)
    log(instance=target, action="wagtail.publish", revision=revision, content_changed=True)
    TranslationLog.objects.create(source=source, locale=locale, revision=revision)


def record_string_translations(source, locale, memory):
    """The translations ``memory`` has for ``source``'s strings, as a translator's: those not recorded yet are written
    in one query (wagtail-localize's ``StringTranslation.save`` would write them one by one, then check each again
    for an error: that check is made here before writing). Its ``post_save`` handler, which copies a page title's
    translation to the translated page's draft title, has nothing to do here: the page is created after, from
    these strings (an existing translated page is never translated again)."""
    segments = list(StringSegment.objects.filter(source=source).select_related("string", "context"))
    recorded = {
        (string_id, context_id): pk
        for pk, string_id, context_id in StringTranslation.objects.filter(
            locale=locale, context__in=[segment.context for segment in segments]
        ).values_list("pk", "translation_of_id", "context_id")
    }
    new = []
    for segment in segments:
        text = memory.get(segment.string.data)
        if text is None:
            continue
        fields = {"data": text, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL}
        if (segment.string_id, segment.context_id) in recorded:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string, locale=locale, context=segment.context, defaults=fields
            )
            continue
        try:
            StringValue.from_translated_html(text)
            validate_translation_links(segment.string.data, text)
            has_error = False
        except ValueError:
            has_error = True
        new.append(
            StringTranslation(
                translation_of=segment.string, locale=locale, context=segment.context, has_error=has_error, **fields
            )
        )
    StringTranslation.objects.bulk_create(new)


def path_to(state):
    """The states a request passed through to reach ``state`` (declined: from submitted)."""
    forward = [State.SUBMITTED, State.TRIAGED, State.MATCHED, State.AGREED, State.COMPLETED]
    return [State.SUBMITTED, State.DECLINED] if state == State.DECLINED else forward[: forward.index(state) + 1]


def build_exchange_requests(builder):
    """Sample requests in several states (invented needs and institutions, requesters at example.org), with their
    dated history, so the dashboard panel and the brokering views show something. No e-mail is sent: the history is
    written as it would have been, not replayed."""
    now = timezone.now()
    made = 0
    for item in builder.data["exchange_requests"]["requests"]:
        if ExchangeRequest.objects.filter(title=item["title"]).exists():
            continue
        states = path_to(item["state"])
        changed = now - timedelta(days=item["days_in_state"], hours=3)
        submitted = changed - timedelta(days=3 * (len(states) - 1))
        request = ExchangeRequest.objects.create(
            kind=item["kind"],
            title=item["title"],
            need=item["need"],
            pillar=builder.terms[("pillar", item["pillar"])],
            country=builder.countries[item["country"]],
            institution=item["institution"],
            language=item["language"],
            submitted_at=submitted,
            state=item["state"],
            state_changed_at=changed,
            decline_reason=item.get("decline_reason", ""),
            staff_notes="Sample request (demo content).",
            **REQUESTER,
        )
        request.themes.set([builder.terms[("theme", code)] for code in item["themes"]])
        request.matched_experts.set([builder.experts[slug] for slug in item.get("experts", [])])
        request.matched_centres.set([builder.centres[slug] for slug in item.get("centres", [])])
        staff = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        previous = ""
        for number, state in enumerate(states):
            at = changed if number == len(states) - 1 else submitted + timedelta(days=3 * number)
            note = item.get("decline_reason", "") if state == State.DECLINED else ""
            request.events.create(from_state=previous, to_state=state, at=at, by=staff if previous else None, note=note)
            previous = state
        made += 1
    return made


def translation_gaps():
    """What the sample translations promise and the database lacks: for each language with a translation file
    (and Arabic), each page it lists without a live translation, or with a source string (the slug aside: it
    stays the same in every language) that has no translation; likewise the sample experts and centres where the
    file translates them (``people``). Empty when the demo is complete."""
    gaps = []
    files = load_translations()
    people = load("people")
    expert_names = [item["name"] for item in people["experts"]]
    centre_names = [item["name"]["en"] for item in people["centres"]]
    for language, data in [("ar", None), *files.items()]:
        locale = Locale.objects.get(language_code=language)
        slugs = set(files["fr"]["pages"] if data is None else data["pages"])  # Arabic: at least what the others list
        for page in Page.objects.filter(locale__language_code=settings.LANGUAGE_CODE, slug__in=slugs):
            translated = page.get_translation_or_none(locale)
            if translated is None or not translated.live:
                gaps.append(f"{language}: {page.slug}: no live translation")
                continue
            gaps.extend(f"{language}: {page.slug}: untranslated {path}" for path in _untranslated(page, locale))
        if data is None or "people" in data:  # the demo's experts and centres, where the file translates them
            for model, names in ((Expert, expert_names), (CentreOfExcellence, centre_names)):
                for row in model.objects.filter(locale__language_code=settings.LANGUAGE_CODE, name__in=names):
                    if row.get_translation_or_none(locale) is None:
                        gaps.append(f"{language}: {row}: no translation")
                        continue
                    gaps.extend(f"{language}: {row}: untranslated {path}" for path in _untranslated(row, locale))
    return gaps


def _untranslated(instance, locale):
    """The paths of ``instance``'s source strings (the slug aside) with no translation into ``locale``."""
    source = TranslationSource.objects.get(object_id=instance.translation_key, locale=instance.locale)
    return [
        segment.context.path
        for segment in StringSegment.objects.filter(source=source).exclude(context__path="slug")
        if not StringTranslation.objects.filter(
            translation_of_id=segment.string_id, locale=locale, context_id=segment.context_id
        ).exists()
    ]
