"""E-mail to the requester at each change of their request, in the language they wrote in."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def notify_requester(exchange_request, event):
    """Tell the requester what happened to their request (Django's e-mail backend: console in development)."""
    with translation.override(exchange_request.language):
        context = {"request": exchange_request, "event": event, "state": event.to_state}
        subject = " ".join(render_to_string("exchange/email/subject.txt", context).split())
        body = render_to_string("exchange/email/state_changed.txt", context)
    send_mail(subject, body, None, [exchange_request.email])
