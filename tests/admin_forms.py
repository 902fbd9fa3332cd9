"""Build the POST data the admin's page editor would send for an existing page, from the editor's own form class,
so tests can submit, publish or edit real pages over HTTP without spelling out every field."""

from django import forms
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.blocks.base import BlockField
from wagtail.test.utils.form_data import nested_form_data, streamfield


def edit_form_data(page, user, **overrides):
    page = page.specific
    form_class = page.get_edit_handler().get_form_class()
    form = form_class(instance=page, for_user=user)
    data = {}
    for name, bound in form.fields.items():
        value = form[name].value()
        widget = bound.widget
        if isinstance(bound, BlockField):
            # StreamFields are sent empty: enough for permission tests, which never look at the body.
            data.update(nested_form_data({name: streamfield([])}))
        elif isinstance(widget, DraftailRichTextArea):
            data[name] = widget.format_value(value or "")
        elif isinstance(bound, forms.ModelMultipleChoiceField):
            data[name] = [str(getattr(item, "pk", item)) for item in (value or [])]
        elif isinstance(bound, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        elif hasattr(widget, "format_value") and not isinstance(value, (str, int, list)):
            data[name] = widget.format_value(value)
        else:
            data[name] = value
    for prefix in form.formsets:
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    data.update(overrides)
    return data
