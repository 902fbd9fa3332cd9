"""The PDF editions of the handbook (one per language) and of each practice case study."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PdfEdition(models.Model):
    """One rendered PDF of a page: the handbook page (the whole book of its language) or a case study.

    A new edition is written when a publication changes what the PDF shows (``fingerprint``: every source page's
    live revision); the one before is deleted with its file. Readers get the newest of a page.
    """

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)
    source_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fingerprint = models.CharField(max_length=64)  # a digest of the live revision of every page the PDF shows
    file = models.FileField(upload_to="books/")
    size = models.PositiveIntegerField()  # bytes
    page_count = models.PositiveIntegerField()
    render_seconds = models.FloatField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("PDF edition")
        verbose_name_plural = _("PDF editions")
        ordering = ["-created", "-pk"]
        constraints = [models.UniqueConstraint(fields=["page", "fingerprint"], name="one_edition_per_source")]

    def __str__(self):
        return f"{self.page_id} ({self.language}) {self.fingerprint[:8]}"
