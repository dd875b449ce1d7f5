from django.contrib import admin

from openwarp.hub.audit.admin_mixins import AuditedModelAdmin
from openwarp.hub.mutualaid.models import (
    AidRequest,
    ConflictPair,
    Deployment,
    LendableCapacity,
    Offer,
    RosterPackage,
    RosterPerson,
    TimeEntry,
)


@admin.register(RosterPerson)
class RosterPersonAdmin(AuditedModelAdmin):
    list_display = ["title", "organisation", "vetting", "max_days", "is_active"]
    list_filter = ["vetting", "is_active"]
    search_fields = ["title", "organisation__name"]


@admin.register(AidRequest)
class AidRequestAdmin(AuditedModelAdmin):
    list_display = ["title", "organisation", "starts_at", "days", "priority", "status"]
    list_filter = ["status", "priority"]


@admin.register(Offer)
class OfferAdmin(AuditedModelAdmin):
    list_display = ["request", "person", "status", "sent_at", "answered_at"]
    list_filter = ["status"]


for model in (RosterPackage, LendableCapacity, ConflictPair, Deployment, TimeEntry):
    admin.site.register(model, AuditedModelAdmin)
