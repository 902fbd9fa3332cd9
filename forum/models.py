"""The expert forum: threads and replies by approved members, per topic of the handbook's taxonomy, moderated.

A topic is a default-language pillar or theme term (``handbook.models.taxonomy``): the forum adds no vocabulary of
its own, and a topic's URL uses the term's stable code, the same in every language. Nothing here is a page or an
indexed model: threads never reach search, the sitemap, feeds, the read API or the exports (``tests/test_forum.py``
checks each). Every change a moderator makes is a ``ModerationEntry`` (who, when, what, why), kept after the post's
text is removed.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from handbook.models import Term, Vocabulary
from news.models import NewsPage

# The vocabularies whose terms are the forum's topics.
TOPIC_VOCABULARIES = [Vocabulary.PILLAR, Vocabulary.THEME]


def text_direction(language):
    return "rtl" if get_language_info(language)["bidi"] else "ltr"


def topics():
    """Every topic, in the taxonomy's order: the default-language pillar and theme terms (published ones: a term in
    draft is no topic yet)."""
    return (
        Term.objects.published()
        .filter(vocabulary__in=TOPIC_VOCABULARIES, locale__language_code=settings.LANGUAGE_CODE)
        .order_by("-vocabulary", "sort_order", "name")
    )  # pillars first


class Thread(models.Model):
    """A conversation on one topic, opened by its first post."""

    topic = models.ForeignKey(
        Term,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary__in": TOPIC_VOCABULARIES, "locale__language_code": settings.LANGUAGE_CODE},
    )
    title = models.CharField(_("title"), max_length=150)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started on"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    # The news item a moderator made of the thread's summary (a draft until the news workflow publishes it).
    news_item = models.ForeignKey(
        NewsPage, verbose_name=_("news item"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("forum thread")
        verbose_name_plural = _("forum threads")
        ordering = ["-last_activity_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def direction(self):
        return text_direction(self.language)


class Post(models.Model):
    """One message of a thread (the first one opens it). Its text is kept as the member typed it and rendered
    escaped (``forum.text``), so no markup a member writes ever reaches a reader."""

    class Status(models.TextChoices):
        HELD = "held", _("Held for moderation")
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden by a moderator")
        REMOVED = "removed", _("Removed by a moderator")

    thread = models.ForeignKey(Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    language = models.CharField(_("language of the message"), max_length=10, choices=settings.LANGUAGES)
    # The site's language when the author wrote it: their e-mails are in it (unless they chose one in their account).
    interface_language = models.CharField(max_length=10, choices=settings.LANGUAGES, editable=False)
    created_at = models.DateTimeField(_("written on"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    moderation_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("forum post")
        verbose_name_plural = _("forum posts")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.thread_id}/{self.pk}"

    @property
    def direction(self):
        return text_direction(self.language)


class Report(models.Model):
    """A member's report that a post breaks the forum's rules; open until a moderator acts on the post."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="reports")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.CASCADE)
    reason = models.TextField(_("why this post should be looked at"), max_length=1000)
    at = models.DateTimeField(_("date"), default=timezone.now)
    resolved = models.BooleanField(_("dealt with"), default=False, db_index=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["post", "by"], name="one_report_per_member_and_post")]

    def __str__(self):
        return f"{self.post_id}: {self.by_id}"


class ModerationEntry(models.Model):
    """The moderation log: one line per decision, kept (without the post's text) when the post is removed."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Shown again")
        REMOVE = "remove", _("Removed")
        DISMISS = "dismiss", _("Reports dismissed")

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.CASCADE, related_name="moderation")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("moderator"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.post_id}: {self.action}"
