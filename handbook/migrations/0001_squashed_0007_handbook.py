"""handbook 0001 to 0007 in one migration, for a new database: each model created with its final fields.

Applied one by one, those seven migrations cost about 7 s of CPU on an empty database (Django rebuilds every related
model's state at each of their 80 operations); this one costs a fraction. A database that has applied some of them
goes on with the originals, which stay beside it (``replaces``). What they did to rows that existed (0003 moved a
field's text and image blocks in the revisions) has nothing to do in a new database; the groups 0006 created are
created here, with its function.
"""

import core.restrictions
import django.db.models.deletion
import django.utils.timezone
import handbook.models.people
import modelcluster.fields
import modelsearch.index
import translations.permissions
import uuid
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


# As in 0006 (a migration keeps its own literals: accounts/roles.py names these groups).
GROUPS = ["Registered members", "Programme staff"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):

    replaces = [
        ("handbook", "0001_initial"),
        ("handbook", "0002_safeguards_review_task"),
        ("handbook", "0003_safeguards_in_four_fields_images_validation_labels"),
        ("handbook", "0004_lead_image_with_translatable_alt_text"),
        ("handbook", "0005_coverage_page"),
        ("handbook", "0006_experts_consent_and_directories"),
        ("handbook", "0007_reference_data_drafts_revisions_and_moderation"),
    ]

    initial = True

    # The originals' dependencies outside the app.
    dependencies = [
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailimages", "0027_image_description"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseStudyIndexPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'case study listing',
            },
            bases=(core.restrictions.ViewRestrictionsMixin, translations.permissions.LanguagePermissionsMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='Country',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='Two capital letters, e.g. MA for Morocco.', max_length=2, unique=True, verbose_name='ISO 3166-1 code')),
            ],
            options={
                'verbose_name': 'country',
                'verbose_name_plural': 'countries',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='CoveragePage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'coverage page',
            },
            bases=(core.restrictions.ViewRestrictionsMixin, translations.permissions.LanguagePermissionsMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='HandbookPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('intro', wagtail.fields.RichTextField(blank=True, verbose_name='introduction')),
            ],
            options={
                'verbose_name': 'handbook',
            },
            bases=(core.restrictions.ViewRestrictionsMixin, translations.permissions.LanguagePermissionsMixin, 'wagtailcore.page'),
        ),
        migrations.CreateModel(
            name='ConsentRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('expert_key', models.UUIDField(db_index=True, editable=False, verbose_name='expert')),
                ('visibility', models.CharField(choices=[('public', 'Public'), ('members', 'Registered members only'), ('staff', 'Programme staff only'), ('hidden', 'Shown to nobody (no consent, or consent withdrawn)')], max_length=10, verbose_name='visibility')),
                ('notice_version', models.CharField(max_length=20, verbose_name='version of the notice shown')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'consent record',
                'verbose_name_plural': 'consent records',
                'ordering': ['-recorded_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='SafeguardsReviewTask',
            fields=[
                ('task_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.task')),
                ('groups', models.ManyToManyField(help_text='Pages/snippets at this step in a workflow will be moderated or approved by these groups of users', to='auth.group', verbose_name='groups')),
            ],
            options={
                'verbose_name': 'human-rights safeguards review',
                'verbose_name_plural': 'human-rights safeguards reviews',
            },
            bases=('wagtailcore.task',),
        ),
        migrations.CreateModel(
            name='Term',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('translation_key', models.UUIDField(default=uuid.uuid4, editable=False)),
                ('live', models.BooleanField(default=True, editable=False, verbose_name='live')),
                ('has_unpublished_changes', models.BooleanField(default=False, editable=False, verbose_name='has unpublished changes')),
                ('first_published_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='first published at')),
                ('last_published_at', models.DateTimeField(editable=False, null=True, verbose_name='last published at')),
                ('go_live_at', models.DateTimeField(blank=True, null=True, verbose_name='go live date/time')),
                ('expire_at', models.DateTimeField(blank=True, null=True, verbose_name='expiry date/time')),
                ('expired', models.BooleanField(default=False, editable=False, verbose_name='expired')),
                ('locked', models.BooleanField(default=False, editable=False, verbose_name='locked')),
                ('locked_at', models.DateTimeField(editable=False, null=True, verbose_name='locked at')),
                ('vocabulary', models.CharField(choices=[('pillar', 'Pillar'), ('region', 'Region'), ('theme', 'Theme'), ('target_group', 'Target group'), ('modality', 'Modality'), ('actor_type', 'Implementing actor')], max_length=20, verbose_name='vocabulary')),
                ('code', models.SlugField(help_text='Stable identifier used in URLs and filters; the same in every language.', max_length=60, verbose_name='code')),
                ('name', models.CharField(max_length=255, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('latest_revision', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='latest revision')),
                ('live_revision', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='live revision')),
                ('locale', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='locale')),
                ('locked_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='locked_%(class)ss', to=settings.AUTH_USER_MODEL, verbose_name='locked by')),
            ],
            options={
                'verbose_name': 'taxonomy term',
                'verbose_name_plural': 'taxonomy terms',
                'ordering': ['vocabulary', 'sort_order', 'name'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Expert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('translation_key', models.UUIDField(default=uuid.uuid4, editable=False)),
                ('live', models.BooleanField(default=True, editable=False, verbose_name='live')),
                ('has_unpublished_changes', models.BooleanField(default=False, editable=False, verbose_name='has unpublished changes')),
                ('first_published_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='first published at')),
                ('last_published_at', models.DateTimeField(editable=False, null=True, verbose_name='last published at')),
                ('go_live_at', models.DateTimeField(blank=True, null=True, verbose_name='go live date/time')),
                ('expire_at', models.DateTimeField(blank=True, null=True, verbose_name='expiry date/time')),
                ('expired', models.BooleanField(default=False, editable=False, verbose_name='expired')),
                ('locked', models.BooleanField(default=False, editable=False, verbose_name='locked')),
                ('locked_at', models.DateTimeField(editable=False, null=True, verbose_name='locked at')),
                ('name', models.CharField(help_text="As the expert writes it; a translation may give it in the reader's script.", max_length=200, verbose_name='name')),
                ('name_latin', models.CharField(blank=True, help_text='The transliteration, when the name above is written in another script.', max_length=200, verbose_name='name in Latin letters')),
                ('role', models.CharField(blank=True, max_length=255, verbose_name='role')),
                ('organisation', models.CharField(blank=True, max_length=255, verbose_name='organisation')),
                ('languages', models.CharField(blank=True, help_text='ISO 639-1 codes separated by spaces, for example: ar fr en', max_length=100, validators=[handbook.models.people.validate_language_codes], verbose_name='languages spoken')),
                ('bio', models.TextField(blank=True, verbose_name='biography')),
                ('email', models.EmailField(blank=True, help_text='Never published: for the programme.', max_length=254, verbose_name='contact e-mail')),
                ('visibility', models.CharField(choices=[('public', 'Public'), ('members', 'Registered members only'), ('staff', 'Programme staff only'), ('hidden', 'Shown to nobody (no consent, or consent withdrawn)')], default='hidden', editable=False, max_length=10, verbose_name='visibility')),
                ('account', models.ForeignKey(blank=True, help_text="The expert's own account, if they have one: it lets them see, correct, export and delete it.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='expert_profiles', to=settings.AUTH_USER_MODEL, verbose_name='user account')),
                ('country', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='handbook.country', verbose_name='country')),
                ('latest_revision', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='latest revision')),
                ('live_revision', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='live revision')),
                ('locale', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='locale')),
                ('locked_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='locked_%(class)ss', to=settings.AUTH_USER_MODEL, verbose_name='locked by')),
                ('pillars', models.ManyToManyField(blank=True, limit_choices_to=models.Q(('locale__language_code', 'en'), ('vocabulary', 'pillar')), related_name='pillar_experts', to='handbook.term', verbose_name='pillars')),
                ('target_groups', models.ManyToManyField(blank=True, limit_choices_to=models.Q(('locale__language_code', 'en'), ('vocabulary', 'target_group')), related_name='target_group_experts', to='handbook.term', verbose_name='target groups')),
                ('themes', models.ManyToManyField(blank=True, limit_choices_to=models.Q(('locale__language_code', 'en'), ('vocabulary', 'theme')), related_name='theme_experts', to='handbook.term', verbose_name='themes')),
            ],
            options={
                'verbose_name': 'expert (focal point)',
                'verbose_name_plural': 'experts (focal points)',
                'ordering': ['name'],
                'abstract': False,
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.AddField(
            model_name='country',
            name='region',
            field=models.ForeignKey(limit_choices_to=models.Q(('locale__language_code', 'en'), ('vocabulary', 'region')), on_delete=django.db.models.deletion.PROTECT, related_name='countries', to='handbook.term', verbose_name='region'),
        ),
        migrations.CreateModel(
            name='ChapterPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('lead_image_alt', models.CharField(blank=True, help_text='Required with a lead image: what the image shows, for readers who cannot see it. Translated with the page.', max_length=250, verbose_name='alternative text')),
                ('lead_image_caption', models.CharField(blank=True, help_text='Shown under the image, e.g. the photographer, or “Sample illustration”.', max_length=250, verbose_name='caption or credit')),
                ('intro', models.TextField(blank=True, verbose_name='introduction')),
                ('body', wagtail.fields.StreamField([('heading', 1), ('paragraph', 2), ('quote', 5), ('image', 8), ('callout', 11)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 200}), 1: ('wagtail.blocks.StructBlock', [[('text', 0)]], {}), 2: ('wagtail.blocks.RichTextBlock', (), {'features': ['h3', 'h4', 'bold', 'italic', 'ol', 'ul', 'link', 'document-link', 'superscript'], 'icon': 'pilcrow', 'label': 'Paragraph'}), 3: ('wagtail.blocks.TextBlock', (), {'label': 'Quote'}), 4: ('wagtail.blocks.CharBlock', (), {'label': 'Attribution', 'max_length': 200, 'required': False}), 5: ('wagtail.blocks.StructBlock', [[('quote', 3), ('attribution', 4)]], {}), 6: ('wagtail.images.blocks.ImageBlock', [], {'label': 'Image'}), 7: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 8: ('wagtail.blocks.StructBlock', [[('image', 6), ('caption', 7)]], {}), 9: ('wagtail.blocks.CharBlock', (), {'label': 'Title', 'max_length': 120}), 10: ('wagtail.blocks.RichTextBlock', (), {'features': ['h3', 'h4', 'bold', 'italic', 'ol', 'ul', 'link', 'document-link', 'superscript'], 'label': 'Text'}), 11: ('wagtail.blocks.StructBlock', [[('title', 9), ('text', 10)]], {})}, verbose_name='body')),
                ('references', wagtail.fields.StreamField([('reference', 1)], blank=True, block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link'], 'label': 'Reference'}), 1: ('wagtail.blocks.StructBlock', [[('text', 0)]], {})}, help_text='Numbered sources; cite them in the body as [1], [2] …', verbose_name='references')),
                ('lead_image', models.ForeignKey(blank=True, help_text='Shown at the top of the page, on listing cards and when the page is shared.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='lead image')),
                ('pillar', models.ForeignKey(blank=True, limit_choices_to=models.Q(('locale__language_code', 'en'), ('vocabulary', 'pillar')), null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='handbook.term', verbose_name='pillar')),
            ],
            options={
                'verbose_name': 'handbook chapter',
            },
            bases=(core.restrictions.ViewRestrictionsMixin, translations.permissions.LanguagePermissionsMixin, 'wagtailcore.page', models.Model),
        ),
        migrations.CreateModel(
            name='CentreOfExcellence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('translation_key', models.UUIDField(default=uuid.uuid4, editable=False)),
                ('live', models.BooleanField(default=True, editable=False, verbose_name='live')),
                ('has_unpublished_changes', models.BooleanField(default=False, editable=False, verbose_name='has unpublished changes')),
                ('first_published_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='first published at')),
                ('last_published_at', models.DateTimeField(editable=False, null=True, verbose_name='last published at')),
                ('go_live_at', models.DateTimeField(blank=True, null=True, verbose_name='go live date/time')),
                ('expire_at', models.DateTimeField(blank=True, null=True, verbose_name='expiry date/time')),
                ('expired', models.BooleanField(default=False, editable=False, verbose_name='expired')),
                ('locked', models.BooleanField(default=False, editable=False, verbose_name='locked')),
                ('locked_at', models.DateTimeField(editable=False, null=True, verbose_name='locked at')),
                ('name', models.CharField(max_length=255, verbose_name='name')),
                ('city', models.CharField(blank=True, max_length=100, verbose_name='city')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('contact_url', models.URLField(blank=True, help_text="The institution's public contact route (a page or a form).", verbose_name='contact page')),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='institutional contact e-mail')),
                ('latest_revision', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='latest revision')),
                ('live_revision', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision', verbose_name='live revision')),
                ('locale', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='locale')),
                ('locked_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='locked_%(class)ss', to=settings.AUTH_USER_MODEL, verbose_name='locked by')),
                ('country', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='handbook.country', verbose_name='country')),
                ('experts', models.ManyToManyField(blank=True, help_text="Shown only to readers allowed to see each expert's profile.", limit_choices_to={'locale__language_code': 'en'}, related_name='centres', to='handbook.expert', verbose_name='experts')),
                ('pillars', models.ManyToManyField(blank=True, limit_choices_to=models.Q(('locale__language_code', 'en'), ('vocabulary', 'pillar')), related_name='pillar_centres', to='handbook.term', verbose_name='pillars')),
                ('themes', models.ManyToManyField(blank=True, limit_choices_to=models.Q(('locale__language_code', 'en'), ('vocabulary', 'theme')), related_name='theme_centres', to='handbook.term', verbose_name='themes')),
            ],
            options={
                'verbose_name': 'centre of excellence',
                'verbose_name_plural': 'centres of excellence',
                'ordering': ['name'],
                'abstract': False,
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.CreateModel(
            name='CaseStudyPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('lead_image_alt', models.CharField(blank=True, help_text='Required with a lead image: what the image shows, for readers who cannot see it. Translated with the page.', max_length=250, verbose_name='alternative text')),
                ('lead_image_caption', models.CharField(blank=True, help_text='Shown under the image, e.g. the photographer, or “Sample illustration”.', max_length=250, verbose_name='caption or credit')),
                ('summary', models.TextField(help_text='One paragraph, at most 300 characters.', max_length=300, verbose_name='summary')),
                ('original_language', models.CharField(choices=[('en', 'English'), ('ar', 'العربية'), ('fr', 'Français'), ('es', 'Español'), ('ru', 'Русский'), ('zh-hans', '中文')], default='en', max_length=10, verbose_name='original language')),
                ('last_reviewed', models.DateField(blank=True, help_text='When the programme last checked that this description is accurate; shown to readers.', null=True, verbose_name='content last checked')),
                ('status', models.CharField(choices=[('planned', 'Planned'), ('ongoing', 'Ongoing'), ('completed', 'Completed'), ('discontinued', 'Discontinued')], default='ongoing', max_length=20, verbose_name='status')),
                ('start_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='start year')),
                ('end_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='end year')),
                ('cooperation_level', models.CharField(choices=[('bilateral', 'Bilateral'), ('regional', 'Regional'), ('interregional', 'Interregional'), ('triangular', 'Triangular')], default='bilateral', max_length=20, verbose_name='level of cooperation')),
                ('evidence_level', models.CharField(choices=[('none', 'No evaluation yet'), ('monitoring', 'Monitoring data'), ('internal-evaluation', 'Internal evaluation'), ('independent-evaluation', 'Independent evaluation')], default='none', max_length=30, verbose_name='evidence level')),
                ('context', wagtail.fields.RichTextField(blank=True, verbose_name='context and challenge')),
                ('approach', wagtail.fields.RichTextField(blank=True, verbose_name='approach')),
                ('activities', wagtail.fields.RichTextField(blank=True, verbose_name='activities and outputs')),
                ('results', wagtail.fields.RichTextField(blank=True, verbose_name='results')),
                ('safeguards_legal_basis', wagtail.fields.RichTextField(help_text='The laws and mandates the practice rests on, and how they meet international human rights law.', verbose_name='Legal basis')),
                ('safeguards_do_no_harm', wagtail.fields.RichTextField(help_text='Risks to participants, communities and staff, and how the practice and this page avoid them.', verbose_name='Do no harm')),
                ('safeguards_data_protection', wagtail.fields.RichTextField(help_text='How personal data of participants and beneficiaries is collected, kept and kept out of this page.', verbose_name='Data protection')),
                ('safeguards_gender', wagtail.fields.RichTextField(help_text='How the practice addresses gender dimensions and its effects on women and girls.', verbose_name='Gender')),
                ('lessons', wagtail.fields.RichTextField(blank=True, verbose_name='lessons learned')),
                ('sustainability', wagtail.fields.RichTextField(blank=True, verbose_name='sustainability')),
                ('transfer', wagtail.fields.RichTextField(blank=True, verbose_name='conditions for transfer')),
                ('resources', wagtail.fields.RichTextField(blank=True, verbose_name='resources and funders')),
                ('images', wagtail.fields.StreamField([('image', 2)], blank=True, block_lookup={0: ('wagtail.images.blocks.ImageBlock', [], {'label': 'Image'}), 1: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 2: ('wagtail.blocks.StructBlock', [[('image', 0), ('caption', 1)]], {})}, help_text='Photographs or diagrams of the practice, shown after the narrative.', verbose_name='images')),
                ('review_stage', models.CharField(choices=[('submitted', 'Proposed, not yet validated'), ('verified', 'Verified by a focal point'), ('peer-reviewed', 'Peer reviewed'), ('featured', 'Featured in the handbook')], default='submitted', help_text="How far the programme has validated the practice's content. The human-rights safeguards review and the approval for publication happen in the workflow, not here.", max_length=20, verbose_name='programme validation level')),
                ('archived', models.BooleanField(default=False, help_text='No longer kept up to date.', verbose_name='archived')),
                ('lead_image', models.ForeignKey(blank=True, help_text='Shown at the top of the page, on listing cards and when the page is shared.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='lead image')),
                ('centres', modelcluster.fields.ParentalManyToManyField(blank=True, related_name='practices', to='handbook.centreofexcellence', verbose_name='centres of excellence')),
                ('chapters', modelcluster.fields.ParentalManyToManyField(blank=True, related_name='practices', to='handbook.chapterpage', verbose_name='handbook chapters')),
                ('implementing_country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='practices', to='handbook.country', verbose_name='implementing country')),
                ('partner_countries', modelcluster.fields.ParentalManyToManyField(blank=True, related_name='partner_practices', to='handbook.country', verbose_name='partner countries')),
                ('experts', modelcluster.fields.ParentalManyToManyField(blank=True, related_name='practices', to='handbook.expert', verbose_name='focal points')),
                ('actor_types', modelcluster.fields.ParentalManyToManyField(blank=True, limit_choices_to=models.Q(('locale__language_code', 'en'), ('vocabulary', 'actor_type')), related_name='actor_type_practices', to='handbook.term', verbose_name='implementing actors')),
                ('modalities', modelcluster.fields.ParentalManyToManyField(blank=True, limit_choices_to=models.Q(('locale__language_code', 'en'), ('vocabulary', 'modality')), related_name='modality_practices', to='handbook.term', verbose_name='modalities')),
                ('pillars', modelcluster.fields.ParentalManyToManyField(limit_choices_to=models.Q(('locale__language_code', 'en'), ('vocabulary', 'pillar')), related_name='pillar_practices', to='handbook.term', verbose_name='pillars')),
                ('target_groups', modelcluster.fields.ParentalManyToManyField(blank=True, limit_choices_to=models.Q(('locale__language_code', 'en'), ('vocabulary', 'target_group')), related_name='target_group_practices', to='handbook.term', verbose_name='target groups')),
                ('themes', modelcluster.fields.ParentalManyToManyField(blank=True, limit_choices_to=models.Q(('locale__language_code', 'en'), ('vocabulary', 'theme')), related_name='theme_practices', to='handbook.term', verbose_name='themes')),
            ],
            options={
                'verbose_name': 'practice case study',
                'verbose_name_plural': 'practice case studies',
            },
            bases=(core.restrictions.ViewRestrictionsMixin, translations.permissions.LanguagePermissionsMixin, 'wagtailcore.page', models.Model),
        ),
        migrations.AddConstraint(
            model_name='term',
            constraint=models.UniqueConstraint(fields=('vocabulary', 'code', 'locale'), name='unique_term_code_per_locale'),
        ),
        migrations.AlterUniqueTogether(
            name='term',
            unique_together={('translation_key', 'locale')},
        ),
        migrations.AlterUniqueTogether(
            name='expert',
            unique_together={('translation_key', 'locale')},
        ),
        migrations.AlterUniqueTogether(
            name='centreofexcellence',
            unique_together={('translation_key', 'locale')},
        ),
        migrations.RunPython(create_groups, migrations.RunPython.noop),
    ]
