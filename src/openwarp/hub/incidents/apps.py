from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "openwarp.hub.incidents"
    label = "incidents"
    default_auto_field = "django.db.models.BigAutoField"
