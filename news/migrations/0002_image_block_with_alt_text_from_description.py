# The image block of news items' body becomes Wagtail's ImageBlock (alternative text from the image's description)
# with a caption; existing image blocks keep their image, alternative text and caption.

import json

import wagtail.fields
from django.db import migrations


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
    convert_image_blocks(apps, "news", "NewsPage")


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0001_initial'),
        ('wagtailcore', '0098_apitoken'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterField(
            model_name='newspage',
            name='body',
            field=wagtail.fields.StreamField([('heading', 1), ('paragraph', 2), ('quote', 5), ('image', 8), ('callout', 11)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 200}), 1: ('wagtail.blocks.StructBlock', [[('text', 0)]], {}), 2: ('wagtail.blocks.RichTextBlock', (), {'features': ['h3', 'h4', 'bold', 'italic', 'ol', 'ul', 'link', 'document-link', 'superscript'], 'icon': 'pilcrow', 'label': 'Paragraph'}), 3: ('wagtail.blocks.TextBlock', (), {'label': 'Quote'}), 4: ('wagtail.blocks.CharBlock', (), {'label': 'Attribution', 'max_length': 200, 'required': False}), 5: ('wagtail.blocks.StructBlock', [[('quote', 3), ('attribution', 4)]], {}), 6: ('wagtail.images.blocks.ImageBlock', [], {'label': 'Image'}), 7: ('wagtail.blocks.CharBlock', (), {'label': 'Caption', 'max_length': 250, 'required': False}), 8: ('wagtail.blocks.StructBlock', [[('image', 6), ('caption', 7)]], {}), 9: ('wagtail.blocks.CharBlock', (), {'label': 'Title', 'max_length': 120}), 10: ('wagtail.blocks.RichTextBlock', (), {'features': ['h3', 'h4', 'bold', 'italic', 'ol', 'ul', 'link', 'document-link', 'superscript'], 'label': 'Text'}), 11: ('wagtail.blocks.StructBlock', [[('title', 9), ('text', 10)]], {})}, verbose_name='body'),
        ),
        migrations.RunPython(image_blocks_to_figures, migrations.RunPython.noop),
    ]
