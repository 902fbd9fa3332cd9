"""The public side of exchange requests: the form (in every language, under /<lang>/exchange/) and its thanks page.

A route rather than a page type: the form has no editorial content, and as a route it exists in every language at
once, cannot be unpublished or moved by mistake, and its submissions (private data) never sit in the page tree.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.throttling import count_hit
from handbook.models import CaseStudyPage
from handbook.models.taxonomy import term_lookup

from .forms import ExchangeRequestForm, issue_token

RATE_WINDOW_SECONDS = 3600


def _initial_from_practice(request):
    """The practice a reader came from ("Ask for an exchange on this practice"), its pillar and themes."""
    practice_id = request.GET.get("practice", "")
    if not practice_id.isdigit() or len(practice_id) > 12:
        return {}
    practice = CaseStudyPage.objects.live().filter(pk=int(practice_id)).first()
    if practice is None:
        return {}
    pillar = practice.pillars.first()
    return {
        "practice": practice,
        "pillar": pillar.code if pillar else None,
        "themes": [term.code for term in practice.themes.all()],
    }


@never_cache  # the page carries a fresh signed token and a CSRF token
@require_http_methods(["GET", "POST"])
def request_exchange(request):
    status = 200
    if request.method == "POST":
        count, retry_after = count_hit("exchange", request, RATE_WINDOW_SECONDS)
        form = ExchangeRequestForm(request.POST, request=request)
        if count > settings.EXCHANGE_RATE_LIMIT:
            form.is_valid()  # so the values the reader typed are shown again, checked
            form.add_error(
                None, _("Too many requests from your address. Please wait an hour and send your request again.")
            )
            status = 429
        elif form.is_valid():
            exchange_request = form.save(commit=False)
            exchange_request.language = translation.get_language()
            exchange_request.save()
            form.save_m2m()
            exchange_request.record_submission()
            return redirect("exchange_thanks")
        else:
            status = 400
    else:
        form = ExchangeRequestForm(initial=_initial_from_practice(request), request=request)
    term_lookup(request)  # one query for every label in the form
    practice = form["practice"].initial if not form.is_bound else form.cleaned_data.get("practice")
    response = render(
        request,
        "exchange/request_form.html",
        {"form": form, "token": issue_token(), "practice": practice},
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(retry_after)
    return response


@require_GET
def thanks(request):
    return render(request, "exchange/thanks.html")
