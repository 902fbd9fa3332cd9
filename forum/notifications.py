"""E-mail to members (Django's e-mail backend: the console in development), each in the recipient's language: the
language they chose in their account settings, else the site's language they were using when they wrote the post
the e-mail is about."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def recipient_language(user, fallback):
    chosen = UserProfile.objects.filter(user=user).values_list("preferred_language", flat=True).first()
    return chosen if chosen in LANGUAGE_CODES else fallback


def _send(user, language, template, context):
    if user is None or not user.is_active or not user.email:
        return
    with translation.override(recipient_language(user, language)):
        context = {**context, "recipient": user}
        context["thread_url"] = settings.WAGTAILADMIN_BASE_URL + reverse("forum_thread", args=[context["thread"].pk])
        subject = " ".join(render_to_string(f"forum/email/{template}_subject.txt", context).split())
        body = render_to_string(f"forum/email/{template}.txt", context)
    send_mail(subject, body, None, [user.email])


def notify_reply(post):
    """Tell the thread's author that someone replied (once the reply is visible)."""
    thread = post.thread
    if thread.author_id and thread.author_id != post.author_id:
        opening = thread.posts.filter(author_id=thread.author_id).order_by("created_at", "pk").first()
        language = opening.interface_language if opening else thread.language
        _send(thread.author, language, "reply", {"thread": thread, "post": post})


def notify_moderation(post, entry):
    """Tell the post's author what a moderator decided about it, with the reason."""
    _send(post.author, post.interface_language, "moderated", {"thread": post.thread, "post": post, "entry": entry})
