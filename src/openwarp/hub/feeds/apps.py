from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "openwarp.hub.feeds"
    label = "feeds"
    verbose_name = "External feeds"
