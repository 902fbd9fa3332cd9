"""The forum's pages, under /<language>/forum/ (``core.paths.FORUM_PATH``): topics, threads, replies, reports, the
moderators' queue and a thread's summary for the news.

Routes, not pages: the forum is private (members only, checked here on every request), so it must never sit in the
page tree that search, the sitemap, the feeds and the API read. Every response is ``Cache-Control: private`` and
``X-Robots-Tag: noindex``.
"""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.languages import collation_key
from core.throttling import count_hit
from handbook.models.taxonomy import Vocabulary, term_lookup

from . import text
from .access import is_moderator, members_only, moderators_only, refusal
from .forms import ModerationForm, ReplyForm, ReportForm, SummaryForm, ThreadForm
from .models import TOPIC_VOCABULARIES, ModerationEntry, Post, Report, Thread, topics
from .moderation import decisions_for, moderate, start_thread, submit
from .publishing import create_news_draft, may_write_news, news_listing

RATE_WINDOW_SECONDS = 3600
Status = Post.Status


def private(view):
    """Never cached by a shared cache, never indexed."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapped)


def forum_view(*methods, moderators=False):
    def decorate(view):
        guarded = moderators_only(view) if moderators else members_only(view)
        return private(require_http_methods(list(methods))(guarded))

    return decorate


def threads_for(user):
    """The threads ``user`` may open: all for moderators; for members, those whose opening post is not held, and
    their own."""
    threads = Thread.objects.select_related("topic")
    if is_moderator(user):
        return threads
    opening_status = Post.objects.filter(thread=OuterRef("pk")).order_by("created_at", "pk").values("status")[:1]
    return threads.annotate(opening_status=Subquery(opening_status)).filter(
        ~Q(opening_status=Status.HELD) | Q(author=user)
    )


def posts_for(thread, user):
    """The posts of ``thread`` shown to ``user``: members see the others' held posts not at all, hidden and removed
    posts as a line saying so; moderators see everything."""
    posts = thread.posts.select_related("author")
    if is_moderator(user):
        return posts.prefetch_related("reports")
    return posts.filter(~Q(status=Status.HELD) | Q(author=user))


def rate_limited(request):
    """Count one message (thread, reply or report) of the member; return the seconds to wait when over the limit."""
    count, retry_after = count_hit("forum", request, RATE_WINDOW_SECONDS, client=f"user-{request.user.pk}")
    return retry_after if count > settings.FORUM_RATE_LIMIT else None


def too_many(response, retry_after):
    response["Retry-After"] = str(retry_after)
    return response


def topic_or_404(vocabulary, code):
    topic = topics().filter(vocabulary=vocabulary, code=code).first()
    if topic is None:
        raise Http404
    return topic


def localized_topics(request, terms):
    """Each topic with its name in the reader's language, in the taxonomy's order; topics of the same rank (themes)
    in the reader's collation of those names, not in the order of their English names."""
    lookup = term_lookup(request)
    rows = [(term, lookup.get(term.translation_key, term)) for term in terms]
    rank = {vocabulary: i for i, vocabulary in enumerate(TOPIC_VOCABULARIES)}
    return sorted(rows, key=lambda row: (rank[row[0].vocabulary], row[0].sort_order, collation_key(row[1].name)))


@forum_view("GET")
def index(request):
    counts = dict(threads_for(request.user).values_list("topic").annotate(n=Count("pk")).values_list("topic", "n"))
    rows = [(term, name, counts.get(term.pk, 0)) for term, name in localized_topics(request, topics())]
    return render(
        request,
        "forum/index.html",
        {
            "pillars": [row for row in rows if row[0].vocabulary == Vocabulary.PILLAR],
            "themes": [row for row in rows if row[0].vocabulary == Vocabulary.THEME],
            "moderator": is_moderator(request.user),
        },
    )


@forum_view("GET", "POST")
def topic(request, vocabulary, code):
    term = topic_or_404(vocabulary, code)
    status = 200
    retry_after = None
    if request.method == "POST":
        form = ThreadForm(request.POST)
        retry_after = rate_limited(request)
        if retry_after:
            form.is_valid()
            form.add_error(None, _("You have written a lot in the last hour. Please wait before writing again."))
            status = 429
        elif form.is_valid():
            thread, _post = start_thread(
                term,
                request.user,
                form.cleaned_data["title"],
                form.cleaned_data["body"],
                form.cleaned_data["language"],
                translation.get_language(),
            )
            return redirect("forum_thread", thread.pk)
        else:
            status = 400
    else:
        form = ThreadForm(initial={"language": translation.get_language()})
    response = render(
        request,
        "forum/topic.html",
        {
            "topic": term,
            "topic_name": term_lookup(request).get(term.translation_key, term).name,
            "threads": threads_for(request.user).filter(topic=term),
            "form": form,
        },
        status=status,
    )
    return too_many(response, retry_after) if retry_after else response


@forum_view("GET", "POST")
def thread(request, pk):
    current = get_object_or_404(threads_for(request.user), pk=pk)
    status = 200
    retry_after = None
    if request.method == "POST":
        form = ReplyForm(request.POST)
        retry_after = rate_limited(request)
        if retry_after:
            form.is_valid()
            form.add_error(None, _("You have written a lot in the last hour. Please wait before writing again."))
            status = 429
        elif form.is_valid():
            post = submit(
                current,
                request.user,
                form.cleaned_data["body"],
                form.cleaned_data["language"],
                translation.get_language(),
            )
            return redirect(f"{reverse('forum_thread', args=[current.pk])}#post-{post.pk}")
        else:
            status = 400
    else:
        form = ReplyForm(initial={"language": translation.get_language()})
    moderator = is_moderator(request.user)
    posts = list(posts_for(current, request.user))
    pages = text.mentioned_pages(post.body for post in posts if post.status != Status.REMOVED)
    for post in posts:
        post.html = text.render(post.body, pages)
        post.shown = post.status in {Status.VISIBLE, Status.HELD} or moderator
        post.decisions = decisions_for(post) if moderator else []
        post.open_reports = [report for report in post.reports.all() if not report.resolved] if moderator else []
    listing = news_listing(current.language) if moderator else None
    response = render(
        request,
        "forum/thread.html",
        {
            "thread": current,
            "topic_name": term_lookup(request).get(current.topic.translation_key, current.topic).name,
            "posts": posts,
            "form": form,
            "moderator": moderator,
            "may_publish": moderator and may_write_news(request.user, listing),
        },
        status=status,
    )
    return too_many(response, retry_after) if retry_after else response


def _visible_post(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    if not threads_for(request.user).filter(pk=post.thread_id).exists() or not (
        post.status == Status.VISIBLE or is_moderator(request.user)
    ):
        raise Http404
    return post


@forum_view("GET", "POST")
def report(request, pk):
    post = _visible_post(request, pk)
    existing = Report.objects.filter(post=post, by=request.user).exists()
    status = 200
    retry_after = None
    if request.method == "POST" and not existing:
        form = ReportForm(request.POST)
        retry_after = rate_limited(request)
        if retry_after:
            form.is_valid()
            form.add_error(None, _("You have written a lot in the last hour. Please wait before writing again."))
            status = 429
        elif form.is_valid():
            Report.objects.create(post=post, by=request.user, reason=form.cleaned_data["reason"])
            return render(request, "forum/reported.html", {"post": post})
        else:
            status = 400
    else:
        form = ReportForm()
    response = render(request, "forum/report.html", {"post": post, "form": form, "existing": existing}, status=status)
    return too_many(response, retry_after) if retry_after else response


def _safe_next(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@private
@require_POST
@moderators_only
def moderate_post(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread", "author"), pk=pk)
    form = ModerationForm(request.POST)
    error = None
    if form.is_valid():
        try:
            moderate(post, form.cleaned_data["action"], request.user, form.cleaned_data["reason"])
        except ValidationError as refused:
            error = refused.messages[0]
    else:
        error = _("Choose a decision; a reason has at most 1,000 characters.")
    if error:
        return render(request, "forum/moderation_error.html", {"post": post, "error": error}, status=400)
    return redirect(_safe_next(request, reverse("forum_moderation")))


@forum_view("GET", moderators=True)
def moderation_queue(request):
    held = list(Post.objects.filter(status=Status.HELD).select_related("thread", "author").order_by("created_at"))
    reported = list(
        Post.objects.filter(reports__resolved=False)
        .distinct()
        .select_related("thread", "author")
        .prefetch_related("reports")
        .order_by("created_at")
    )
    pages = text.mentioned_pages(post.body for post in [*held, *reported])
    for post in [*held, *reported]:
        post.html = text.render(post.body, pages)
        post.shown = True
        post.decisions = decisions_for(post)
        post.open_reports = [item for item in post.reports.all() if not item.resolved]
    log = ModerationEntry.objects.select_related("post__thread", "by")[:50]
    return render(request, "forum/moderation.html", {"held": held, "reported": reported, "log": log})


@forum_view("GET", "POST", moderators=True)
def publish_summary(request, pk):
    current = get_object_or_404(Thread, pk=pk)
    if not may_write_news(request.user, news_listing(current.language)):
        return refusal(request, moderators_only=True)
    status = 200
    if request.method == "POST":
        form = SummaryForm(request.POST)
        if form.is_valid():
            page = create_news_draft(current, request.user, form.cleaned_data["title"], form.cleaned_data["summary"])
            return redirect("wagtailadmin_pages:edit", page.pk)
        status = 400
    else:
        form = SummaryForm(initial={"title": current.title})
    return render(request, "forum/summary.html", {"thread": current, "form": form}, status=status)
