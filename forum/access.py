"""Who may enter the forum and who moderates it, checked on the server for every forum request.

Approved members (active users in ``accounts.roles.MEMBERS``: the sign-up puts people there once programme staff
approve them) and the forum's moderators (``accounts.roles.FORUM_MODERATORS``; superusers) take part. Anyone else
gets the sign-in page (anonymous) or a 403 page that says the forum is for approved members.
"""

import functools

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from accounts.roles import FORUM_MODERATORS, MEMBERS, group_names


def is_moderator(user):
    return (
        user.is_authenticated and user.is_active and (user.is_superuser or bool(group_names(user) & FORUM_MODERATORS))
    )


def takes_part(user):
    return is_moderator(user) or (user.is_authenticated and user.is_active and MEMBERS in group_names(user))


def refusal(request, moderators_only=False):
    response = render(request, "forum/refused.html", {"moderators_only": moderators_only}, status=403)
    response["Cache-Control"] = "private, no-store"
    return response


def members_only(view):
    """Members and moderators pass; anonymous readers are sent to sign in; anyone else is refused (403)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not takes_part(request.user):
            return refusal(request)
        return view(request, *args, **kwargs)

    return wrapped


def moderators_only(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            return refusal(request, moderators_only=True)
        return view(request, *args, **kwargs)

    return wrapped
