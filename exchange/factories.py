"""Factories for tests: exchange requests (built straight into a state, as if brokered that far)."""

import factory
from django.conf import settings

from handbook.models import Country, Term

from .models import ExchangeRequest


class ExchangeRequestFactory(factory.django.DjangoModelFactory):
    kind = ExchangeRequest.Kind.STUDY_VISIT
    title = factory.Sequence(lambda n: f"Sample need {n}")
    need = "A sample need: how to run community dialogue forums with young people."
    pillar = factory.LazyFunction(
        lambda: Term.objects.filter(vocabulary="pillar", locale__language_code=settings.LANGUAGE_CODE).first()
    )
    country = factory.LazyFunction(lambda: Country.objects.order_by("code").first())
    requester_name = "Sample Requester"
    institution = "Sample Ministry"
    email = "requester@example.org"
    language = "en"

    class Meta:
        model = ExchangeRequest
