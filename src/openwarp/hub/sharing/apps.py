from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "openwarp.hub.sharing"
    label = "sharing"
    verbose_name = "Sharing"
