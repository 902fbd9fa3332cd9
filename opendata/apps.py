from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "opendata"
