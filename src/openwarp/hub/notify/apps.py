from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "openwarp.hub.notify"
    label = "notify"
    verbose_name = "Notifications and webhooks"
