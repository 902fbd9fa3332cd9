"""The document upload form: it says which formats are allowed before the editor picks a file.

Wagtail's image upload already lists its formats; its document upload only gave the maximum size, so an editor
learnt that a format was refused only after uploading it. The list comes from ``WAGTAILDOCS_EXTENSIONS``, the
setting that also enforces it.
"""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm


def allowed_formats_text():
    return _("Allowed formats: %(formats)s. Maximum file size: %(size)s.") % {
        "formats": ", ".join(extension.upper() for extension in settings.WAGTAILDOCS_EXTENSIONS),
        "size": filesizeformat(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE),
    }


class DocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].help_text = allowed_formats_text()
            self.fields["file"].widget.attrs["accept"] = ",".join(f".{ext}" for ext in settings.WAGTAILDOCS_EXTENSIONS)
