"""A completed exchange becomes a practice case study draft: what the request says is pre-filled, the page is a
draft revision by the staff member, and it goes through the case study review workflow like any other."""

from django.conf import settings
from django.utils.html import escape, linebreaks
from django.utils.text import Truncator

from handbook.models import CaseStudyIndexPage, CaseStudyPage


def case_study_listing(language):
    """The practice listing in the request's language, else the default language's."""
    listings = CaseStudyIndexPage.objects.filter(locale__language_code__in={language, settings.LANGUAGE_CODE})
    by_language = {listing.locale.language_code: listing for listing in listings.select_related("locale")}
    return by_language.get(language) or by_language.get(settings.LANGUAGE_CODE)


def create_case_study_draft(exchange_request, user):
    """Create the draft (never live: it is published only by the review workflow) and link it to the request."""
    listing = case_study_listing(exchange_request.language)
    need = exchange_request.need
    page = CaseStudyPage(
        title=exchange_request.title,
        summary=Truncator(" ".join(need.split())).chars(300),
        implementing_country=exchange_request.country,
        original_language=exchange_request.language,
        context=linebreaks(escape(need)),
        status=CaseStudyPage.Status.COMPLETED,
        live=False,
        owner=user,
    )
    page.pillars = [exchange_request.pillar]
    page.themes = list(exchange_request.themes.all())
    page.experts = list(exchange_request.matched_experts.all())
    page.centres = list(exchange_request.matched_centres.all())
    page.partner_countries = sorted(
        {
            person.country
            for person in [*exchange_request.matched_experts.all(), *exchange_request.matched_centres.all()]
            if person.country_id and person.country_id != exchange_request.country_id
        },
        key=lambda country: country.code,
    )
    listing.add_child(instance=page)
    # A draft as the editor saves one: the safeguards are written (and required) before it is submitted for review.
    page.save_revision(user=user, log_action=True, clean=False)
    exchange_request.case_study = page
    exchange_request.save(update_fields=["case_study"])
    return page
