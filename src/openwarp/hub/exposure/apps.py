from django.apps import AppConfig


class ExposureConfig(AppConfig):
    name = "openwarp.hub.exposure"
    label = "exposure"
    verbose_name = "Exposure warnings"
