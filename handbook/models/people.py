"""People and institutions a practice links to: experts acting as focal points, and centres of excellence."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from .taxonomy import Country


class Expert(TranslatableMixin, index.Indexed, models.Model):
    """An expert who serves as a focal point for practices: readers contact them through the programme."""

    # "name" of a person and of an institution differ in Russian (имя/название) and Chinese (姓名/名称).
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200)
    role = models.CharField(_("role"), max_length=255, blank=True)
    country = models.ForeignKey(Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.SET_NULL)
    bio = models.TextField(_("biography"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)

    override_translatable_fields = [SynchronizedField("name")]
    search_fields = [index.SearchField("name"), index.SearchField("bio"), index.FilterField("locale_id")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("expert (focal point)")
        verbose_name_plural = _("experts (focal points)")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CentreOfExcellence(TranslatableMixin, index.Indexed, models.Model):
    """An institution recognised for its CT/PVE expertise, which hosts exchanges and training."""

    name = models.CharField(pgettext_lazy("institution", "name"), max_length=255)
    country = models.ForeignKey(Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.SET_NULL)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    search_fields = [index.SearchField("name"), index.SearchField("description"), index.FilterField("locale_id")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("centre of excellence")
        verbose_name_plural = _("centres of excellence")
        ordering = ["name"]

    def __str__(self):
        return self.name
