"""What happens to a post: its submission (held for a new member, visible otherwise) and each moderator's decision,
logged and e-mailed to its author.

Pre-moderation: a member's posts are held until ``FORUM_PREMODERATED_POSTS`` of theirs have been approved (or were
visible at once); a moderator's posts never are. Removing a post deletes its text for good (the log keeps who,
when and why, never what was written); hiding keeps the text for moderators and can be undone.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .access import is_moderator
from .models import ModerationEntry, Post, Thread
from .notifications import notify_moderation, notify_reply

Status = Post.Status
Action = ModerationEntry.Action


@dataclass(frozen=True)
class Decision:
    action: str
    sources: frozenset
    target: str  # the post's new status ("" for no change)
    needs_reason: bool
    label: Promise


# The only decisions there are; the moderation page offers, and the server accepts, only these.
DECISIONS = {
    decision.action: decision
    for decision in [
        Decision(Action.APPROVE, frozenset({Status.HELD}), Status.VISIBLE, False, _("Approve")),
        Decision(Action.HIDE, frozenset({Status.HELD, Status.VISIBLE}), Status.HIDDEN, True, _("Hide")),
        Decision(Action.RESTORE, frozenset({Status.HIDDEN}), Status.VISIBLE, False, _("Show again")),
        Decision(
            Action.REMOVE, frozenset({Status.HELD, Status.VISIBLE, Status.HIDDEN}), Status.REMOVED, True, _("Remove")
        ),
        Decision(Action.DISMISS, frozenset({Status.VISIBLE}), "", False, _("Dismiss the reports")),
    ]
}


def decisions_for(post):
    return [decision for decision in DECISIONS.values() if post.status in decision.sources]


def is_held_for(user):
    """Whether a new post by ``user`` waits for a moderator."""
    if is_moderator(user):
        return False
    return Post.objects.filter(author=user, status=Status.VISIBLE).count() < settings.FORUM_PREMODERATED_POSTS


def submit(thread, user, body, language, interface_language):
    """Add a post by ``user`` to ``thread`` (held or visible); the thread's author hears of a visible reply."""
    now = timezone.now()
    with transaction.atomic():
        post = thread.posts.create(
            author=user,
            body=body,
            language=language,
            interface_language=interface_language,
            created_at=now,
            status=Status.HELD if is_held_for(user) else Status.VISIBLE,
        )
        if post.status == Status.VISIBLE:
            Thread.objects.filter(pk=thread.pk).update(last_activity_at=now)
    if post.status == Status.VISIBLE:
        notify_reply(post)
    return post


def start_thread(topic, user, title, body, language, interface_language):
    thread = Thread.objects.create(topic=topic, title=title, language=language, author=user)
    post = submit(thread, user, body, language, interface_language)
    return thread, post


def moderate(post, action, user, reason=""):
    """Apply the decision ``action`` to ``post`` on behalf of the moderator ``user``; log it, close the post's open
    reports and tell its author. Raises ``ValidationError`` (with a message for the moderator) when not allowed."""
    decision = DECISIONS.get(action)
    reason = (reason or "").strip()
    if decision is None or post.status not in decision.sources:
        raise ValidationError(_("This decision cannot be taken on this post now."))
    if decision.needs_reason and not reason:
        raise ValidationError(_("Give a reason: the author receives it and it is kept in the moderation log."))
    was_held = post.status == Status.HELD
    with transaction.atomic():
        if decision.target:
            post.status = decision.target
            post.moderation_reason = reason
            if decision.target == Status.REMOVED:
                post.body = ""
            post.save(update_fields=["status", "moderation_reason", "body"])
        post.reports.filter(resolved=False).update(resolved=True)
        entry = post.moderation.create(action=decision.action, reason=reason, by=user)
        if post.status == Status.VISIBLE:
            Thread.objects.filter(pk=post.thread_id).update(last_activity_at=timezone.now())
    if decision.action != Action.DISMISS:
        notify_moderation(post, entry)
    if was_held and post.status == Status.VISIBLE:
        notify_reply(post)
    return entry
