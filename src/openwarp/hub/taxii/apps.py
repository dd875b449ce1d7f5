from django.apps import AppConfig


class TaxiiConfig(AppConfig):
    name = "openwarp.hub.taxii"
    label = "taxii"
    verbose_name = "TAXII and federation"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from openwarp.hub.sharing.models import Report
        from openwarp.hub.taxii.entries import report_saved

        post_save.connect(report_saved, sender=Report, dispatch_uid="taxii-collection-entry")
