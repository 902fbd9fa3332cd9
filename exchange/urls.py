from django.urls import path

from . import views

urlpatterns = [
    path("", views.request_exchange, name="exchange_request"),
    path("thanks/", views.thanks, name="exchange_thanks"),
]
