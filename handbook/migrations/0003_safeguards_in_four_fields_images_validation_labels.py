# Case studies: the safeguards section in the four items the reviewer checks, images, and curation fields named so
# they are not taken for the publication workflow's review. Chapters: the image block becomes Wagtail's ImageBlock.

import json

import wagtail.fields
from django.db import migrations, models

OLD_FIELD, NEW_FIELD = "safeguards", "safeguards_legal_basis"


def _case_study_revisions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="handbook", model="casestudypage").first()
    if content_type is None:
        return Revision.objects.none()
    return Revision.objects.filter(content_type_id=content_type.pk)


def _rename_key(apps, old, new):
    # Drafts and history keep the text too: the editor opens the latest revision, not the page row.
    for revision in _case_study_revisions(apps).iterator():
        if old in revision.content:
            revision.content[new] = revision.content.pop(old)
            revision.save(update_fields=["content"])


def rename_in_revisions(apps, schema_editor):
    _rename_key(apps, OLD_FIELD, NEW_FIELD)


def unrename_in_revisions(apps, schema_editor):
    _rename_key(apps, NEW_FIELD, OLD_FIELD)


def figure_from_old_image(value):
    """The old image block ({image, alt_text, caption}) as the new one ({image: ImageBlock's value, caption})."""
    if isinstance(value, dict) and not isinstance(value.get("image"), dict):
        return {
            "image": {"image": value.get("image"), "alt_text": value.get("alt_text", ""), "decorative": False},
            "caption": value.get("caption", ""),
        }
    return value


def convert_stream(raw):
    """(converted stream, whether anything changed) for a stream as stored: a JSON string or a list of blocks."""
    stream = json.loads(raw) if isinstance(raw, str) else [dict(block) for block in raw]
    changed = False
    for block in stream:
        if isinstance(block, dict) and block.get("type") == "image":
            converted = figure_from_old_image(block.get("value"))
            changed = changed or converted is not block.get("value")
            block["value"] = converted
    return (json.dumps(stream) if isinstance(raw, str) else stream), changed


def convert_image_blocks(apps, app_label, model_name, field="body"):
    """Convert the image blocks of ``field`` in every page row and every revision (drafts keep them too)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    Model = apps.get_model(app_label, model_name)
    for page in Model.objects.iterator():
        converted, changed = convert_stream(getattr(page, field).raw_data)
        if changed:
            Model.objects.filter(pk=page.pk).update(**{field: converted})
    content_type = ContentType.objects.filter(app_label=app_label, model=model_name.lower()).first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(content_type_id=content_type.pk).iterator():
        if revision.content.get(field):
            revision.content[field], changed = convert_stream(revision.content[field])
            if changed:
                revision.save(update_fields=["content"])


def image_blocks_to_figures(apps, schema_editor):
    convert_image_blocks(apps, "handbook", "ChapterPage")


class Migration(migrations.Migration):

    dependencies = [
        ('handbook', '0002_safeguards_review_task'),
        ('wagtailcore', '0098_apitoken'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        # The single safeguards text becomes the first of the four items, so nothing written so far is lost; the
        # three new items start empty and the editor's form asks for them at the next edit.
        migrations.RenameField(
            model_name='casestudypage',
            old_name='safeguards',
            new_name='safeguards_legal_basis',
        ),
        migrations.RunPython(rename_in_revisions, unrename_in_revisions),
        migrations.AddField(
            model_name='casestudypage',
            name='images',
            field=wagtail.fields.StreamField([('image', 2)], blank=True, block_lookup={0: ('wagtail.images.blocks.ImageBlock', [], {'label': 'Image'}), 1: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 2: ('wagtail.blocks.StructBlock', [[('image', 0), ('caption', 1)]], {})}, help_text='Photographs or diagrams of the practice, shown after the narrative.', verbose_name='images'),
        ),
        migrations.AddField(
            model_name='casestudypage',
            name='safeguards_data_protection',
            field=wagtail.fields.RichTextField(default='', help_text='How personal data of participants and beneficiaries is collected, kept and kept out of this page.', verbose_name='Data protection'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='casestudypage',
            name='safeguards_do_no_harm',
            field=wagtail.fields.RichTextField(default='', help_text='Risks to participants, communities and staff, and how the practice and this page avoid them.', verbose_name='Do no harm'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='casestudypage',
            name='safeguards_gender',
            field=wagtail.fields.RichTextField(default='', help_text='How the practice addresses gender dimensions and its effects on women and girls.', verbose_name='Gender'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='casestudypage',
            name='safeguards_legal_basis',
            field=wagtail.fields.RichTextField(help_text='The laws and mandates the practice rests on, and how they meet international human rights law.', verbose_name='Legal basis'),
        ),
        migrations.AlterField(
            model_name='casestudypage',
            name='last_reviewed',
            field=models.DateField(blank=True, help_text='When the programme last checked that this description is accurate; shown to readers.', null=True, verbose_name='content last checked'),
        ),
        migrations.AlterField(
            model_name='casestudypage',
            name='review_stage',
            field=models.CharField(choices=[('submitted', 'Proposed, not yet validated'), ('verified', 'Verified by a focal point'), ('peer-reviewed', 'Peer reviewed'), ('featured', 'Featured in the handbook')], default='submitted', help_text="How far the programme has validated the practice's content. The human-rights safeguards review and the approval for publication happen in the workflow, not here.", max_length=20, verbose_name='programme validation level'),
        ),
        migrations.AlterField(
            model_name='chapterpage',
            name='body',
            field=wagtail.fields.StreamField([('heading', 1), ('paragraph', 2), ('quote', 5), ('image', 8), ('callout', 11)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 200}), 1: ('wagtail.blocks.StructBlock', [[('text', 0)]], {}), 2: ('wagtail.blocks.RichTextBlock', (), {'features': ['h3', 'h4', 'bold', 'italic', 'ol', 'ul', 'link', 'document-link', 'superscript'], 'icon': 'pilcrow', 'label': 'Paragraph'}), 3: ('wagtail.blocks.TextBlock', (), {'label': 'Quote'}), 4: ('wagtail.blocks.CharBlock', (), {'label': 'Attribution', 'max_length': 200, 'required': False}), 5: ('wagtail.blocks.StructBlock', [[('quote', 3), ('attribution', 4)]], {}), 6: ('wagtail.images.blocks.ImageBlock', [], {'label': 'Image'}), 7: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 8: ('wagtail.blocks.StructBlock', [[('image', 6), ('caption', 7)]], {}), 9: ('wagtail.blocks.CharBlock', (), {'label': 'Title', 'max_length': 120}), 10: ('wagtail.blocks.RichTextBlock', (), {'features': ['h3', 'h4', 'bold', 'italic', 'ol', 'ul', 'link', 'document-link', 'superscript'], 'label': 'Text'}), 11: ('wagtail.blocks.StructBlock', [[('title', 9), ('text', 10)]], {})}, verbose_name='body'),
        ),
        # After the new block definitions, which save the converted values.
        migrations.RunPython(image_blocks_to_figures, migrations.RunPython.noop),
    ]
