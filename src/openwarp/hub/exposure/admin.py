"""Admin registration for exposure, audited like every other admin change."""

from django.contrib import admin

from openwarp.hub.audit.admin_mixins import AuditedModelAdmin
from openwarp.hub.exposure.models import (
    Advisory,
    DataLoad,
    ExposureWarning,
    InventoryItem,
    KevEntry,
)


@admin.register(InventoryItem)
class InventoryItemAdmin(AuditedModelAdmin):
    list_display = ("organisation", "vendor", "product", "version", "internet_facing")
    list_filter = ("organisation",)
    search_fields = ("vendor", "product", "cpe")


@admin.register(ExposureWarning)
class WarningAdmin(AuditedModelAdmin):
    list_display = (
        "cve_id",
        "organisation",
        "product_label",
        "verdict",
        "priority",
        "status",
        "due_at",
        "active",
    )
    list_filter = ("status", "verdict", "kev", "active")
    search_fields = ("cve_id", "product_label")


@admin.register(Advisory)
class AdvisoryAdmin(AuditedModelAdmin):
    list_display = ("title", "cve_id", "vendor", "product", "created_at")


@admin.register(KevEntry)
class KevEntryAdmin(AuditedModelAdmin):
    list_display = ("cve_id", "vendor_project", "product", "date_added")
    search_fields = ("cve_id", "vendor_project", "product")


@admin.register(DataLoad)
class DataLoadAdmin(AuditedModelAdmin):
    list_display = ("at", "cve_records", "kev_version", "epss_scores")
