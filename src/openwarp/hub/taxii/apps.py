from django.apps import AppConfig


class TaxiiConfig(AppConfig):
    name = "openwarp.hub.taxii"
    label = "taxii"
    verbose_name = "TAXII and federation"
