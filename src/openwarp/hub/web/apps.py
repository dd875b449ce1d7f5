from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "openwarp.hub.web"
    label = "web"
    verbose_name = "Web interface"
