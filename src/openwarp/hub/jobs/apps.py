from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "openwarp.hub.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
