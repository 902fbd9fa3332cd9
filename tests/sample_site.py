"""The small site the fast test layer starts from, built with the apps' factories (no demo content, no engine).

Six locales; an English home page (the default site's root) with the handbook (a chapter per pillar), the
practice listing (three practices), the news listing (a news item and an event) and the about page; the
reference data those pages use (taxonomy terms, thirty countries, a focal point and a centre); every page and
snippet translated into Arabic through wagtail-localize, as a translator's work would be; and one account per
role. Tests add what they assert on with the factories; each test runs in a transaction that is rolled back.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from handbook.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    CentreFactory,
    ChapterPageFactory,
    CountryFactory,
    ExpertFactory,
    HandbookPageFactory,
    TermFactory,
)
from home.factories import AboutPageFactory, HomePageFactory
from news.factories import NewsIndexPageFactory, NewsPageFactory

PASSWORD = "south-south-demo"  # the demo accounts' password, so login tests read the same for both layers
ACCOUNTS = [  # user name, role group (None: superuser)
    ("admin", None),
    ("editor", "Editors"),
    ("moderator", "Moderators"),
    ("translator", "Translators"),  # and "Translators: ar"
    ("reviewer", "Reviewers"),
    ("webmaster", "Site administrators"),
]
TERMS = {  # vocabulary: [(code, English name, Arabic name)]
    "pillar": [
        ("I", "Conditions conducive to terrorism", "الظروف المؤدية إلى انتشار الإرهاب"),
        ("II", "Preventing and combating terrorism", "منع الإرهاب ومكافحته"),
        ("III", "Building States' capacity", "بناء قدرات الدول"),
        ("IV", "Human rights and the rule of law", "حقوق الإنسان وسيادة القانون"),
    ],
    "region": [
        ("africa", "Africa", "أفريقيا"),
        ("asia-pacific", "Asia and the Pacific", "آسيا والمحيط الهادئ"),
        ("middle-east", "Middle East", "الشرق الأوسط"),
        ("latin-america-caribbean", "Latin America and the Caribbean", "أمريكا اللاتينية والبحر الكاريبي"),
    ],
    "theme": [
        ("community-engagement", "Community engagement", "إشراك المجتمع المحلي"),
        ("rehabilitation", "Rehabilitation and reintegration", "إعادة التأهيل وإعادة الإدماج"),
        ("education", "Education", "التعليم"),
    ],
    "target_group": [("youth", "Youth", "الشباب"), ("women", "Women", "النساء")],
    "modality": [("training", "Training", "التدريب")],
    "actor_type": [("civil-society", "Civil society", "المجتمع المدني")],
}
COUNTRIES = {
    "africa": ["SN", "KE", "NG", "GH", "ET", "TZ", "UG", "ZA", "ML", "NE", "MA", "TN"],
    "asia-pacific": ["ID", "MY", "PH", "BD", "LK", "NP"],
    "middle-east": ["JO", "LB", "IQ", "EG", "SA", "OM"],
    "latin-america-caribbean": ["CO", "PE", "BR", "MX", "CL", "EC"],
}
# The practices: (slug, English title, Arabic title, implementing country, partner countries, pillars)
PRACTICES = [
    ("community-dialogue", "Community dialogue forums", "منتديات الحوار المجتمعي", "SN", ["ML"], ["I", "II"]),
    ("prison-mentoring", "Prison mentoring programme", "برنامج الإرشاد في السجون", "JO", ["LB"], ["IV"]),
    ("school-resilience", "School resilience clubs", "نوادي المنعة في المدارس", "ID", [], ["I"]),
]
ARABIC = {  # English → Arabic for the strings the sample site translates; other strings keep their source text
    "South–South Exchange": "التبادل بين بلدان الجنوب",
    "Good practices from the Global South.": "ممارسات جيدة من بلدان الجنوب.",
    "Handbook of Good Practices": "دليل الممارسات الجيدة",
    "Good practices": "الممارسات الجيدة",
    "News and events": "الأخبار والفعاليات",
    "About the programme": "عن البرنامج",
    "What the programme does, and for whom.": "ما يقوم به البرنامج ولمن.",
    "A practice documented for tests.": "ممارسة موثقة لأغراض الاختبار.",
    "<p>Legal basis, do-no-harm, data protection and gender were assessed.</p>": (
        "<p>قُيّمت الأسس القانونية وعدم الإضرار وحماية البيانات والمنظور الجنساني.</p>"
    ),
    "Regional workshop on prevention": "ورشة عمل إقليمية بشأن الوقاية",
    "Experts met to compare prevention work.": "اجتمع الخبراء لمقارنة أعمال الوقاية.",
    "Exchange visit to Dakar": "زيارة تبادل إلى داكار",
    "Practitioners visited community forums.": "زار الممارسون المنتديات المجتمعية.",
    "Dakar, Senegal": "داكار، السنغال",
    "Focal point": "جهة تنسيق",
    **{title: arabic for _slug, title, arabic, *_rest in PRACTICES},
    **{english: arabic for terms in TERMS.values() for _code, english, arabic in terms},
}


def translate(instance, language="ar", strings=ARABIC):
    """Translate ``instance`` with wagtail-localize (a source, string translations from ``strings``, save_target)."""
    locale = Locale.objects.get(language_code=language)
    with transaction.atomic():
        source, _ = TranslationSource.get_or_create_from_instance(instance)
        translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
        for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": strings.get(segment.string.data, segment.string.data),
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
        translation.save_target(publish=True)
    return instance.get_translation(locale)


def publish(page):
    page.save_revision().publish()
    return page


def build():
    """Build the sample site into an empty (migrated) database; returns nothing, tests query what they need."""
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    english = Locale.objects.get(language_code="en")

    terms = {}
    for vocabulary, items in TERMS.items():
        for order, (code, name, _arabic) in enumerate(items):
            terms[vocabulary, code] = TermFactory(
                vocabulary=vocabulary, code=code, name=name, sort_order=order, locale=english
            )
    countries = {
        code: CountryFactory(code=code, region=terms["region", region])
        for region, codes in COUNTRIES.items()
        for code in codes
    }
    expert = ExpertFactory(name="Amina Diallo", role="Focal point", country=countries["SN"], locale=english)
    centre = CentreFactory(name="Dakar Centre for Prevention", country=countries["SN"], locale=english)

    # Wagtail's migration leaves a placeholder "Welcome" page as the default site's root: the home page replaces it.
    root = Page.get_first_root_node()
    for placeholder in root.get_children():
        Site.objects.filter(root_page=placeholder).delete()
        placeholder.delete()
    root.refresh_from_db()
    home = HomePageFactory(
        parent=root,
        locale=english,
        title="South–South Exchange",
        slug="home",
        intro="Good practices from the Global South.",
    )
    publish(home)
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=settings.WAGTAIL_SITE_NAME
    )
    handbook = publish(HandbookPageFactory(parent=home, slug="handbook", show_in_menus=True))
    practices = publish(CaseStudyIndexPageFactory(parent=home, slug="practices", show_in_menus=True))
    news = publish(NewsIndexPageFactory(parent=home, slug="news", show_in_menus=True))
    publish(
        AboutPageFactory(parent=home, slug="about", intro="What the programme does, and for whom.", show_in_menus=True)
    )

    chapters = {}
    for code, name, _arabic in TERMS["pillar"]:
        chapters[code] = publish(
            ChapterPageFactory(
                parent=handbook,
                title=name,
                slug=f"pillar-{code.lower()}",
                pillar=terms["pillar", code],
                body=[("paragraph", RichText(f"<p>{name}.</p>"))],
            )
        )
    for position, (slug, title, _arabic, country, partners, pillars) in enumerate(PRACTICES):
        page = CaseStudyPageFactory.build(
            slug=slug,
            title=title,
            summary="A practice documented for tests.",
            implementing_country=countries[country],
            start_year=2020 + position,
            last_reviewed=datetime.date(2026, 1 + position, 15),
        )
        page.partner_countries = [countries[code] for code in partners]
        page.pillars = [terms["pillar", code] for code in pillars]
        page.themes = [terms["theme", TERMS["theme"][position][0]]]
        page.target_groups = [terms["target_group", "youth"]]
        page.chapters = [chapters[code] for code in pillars]
        page.experts = [expert]
        page.centres = [centre]
        practices.add_child(instance=page)
        publish(page)
    publish(
        NewsPageFactory(
            parent=news,
            title="Regional workshop on prevention",
            slug="regional-workshop",
            summary="Experts met to compare prevention work.",
            date=datetime.date(2026, 10, 12),
        )
    )
    publish(
        NewsPageFactory(
            parent=news,
            title="Exchange visit to Dakar",
            slug="exchange-visit",
            kind="event",
            summary="Practitioners visited community forums.",
            place="Dakar, Senegal",
            date=datetime.date(2026, 12, 3),
        )
    )

    for term in terms.values():
        translate(term)
    translate(expert)
    translate(centre)
    for page in [home, *home.get_descendants().order_by("path")]:
        translate(page.specific)

    User = get_user_model()
    for username, group in ACCOUNTS:
        user = User(
            username=username,
            email=f"{username}@example.org",
            first_name=username.capitalize(),
            is_staff=group is None,
            is_superuser=group is None,
        )
        user.set_password(PASSWORD)
        user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
        if group == "Translators":
            user.groups.add(Group.objects.get_or_create(name="Translators: ar")[0])
