from django.apps import AppConfig


class MutualAidConfig(AppConfig):
    name = "openwarp.hub.mutualaid"
    label = "mutualaid"
    verbose_name = "Mutual aid"
