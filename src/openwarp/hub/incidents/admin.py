"""Django admin for hub admins. The private log is deliberately not registered:
it is the organisation's alone, and admins are not the organisation."""

from django.contrib import admin

from openwarp.hub.audit.admin_mixins import AuditedModelAdmin
from openwarp.hub.incidents.models import AnonymousPost, Breach, Incident, Task, TimelineEntry


@admin.register(Incident)
class IncidentAdmin(AuditedModelAdmin):
    list_display = ["title", "organisation", "ncsc_category", "status", "detected_at"]
    list_filter = ["status", "ncsc_category", "organisation__org_type"]
    search_fields = ["title", "organisation__name"]
    readonly_fields = ["public_id", "created_at", "created_by"]


@admin.register(AnonymousPost)
class AnonymousPostAdmin(AuditedModelAdmin):
    list_display = ["threat", "state", "published_on", "escalated_on"]
    list_filter = ["state"]
    readonly_fields = ["public_id", "created_at", "reporter_organisation", "author"]


for model in (Breach, TimelineEntry, Task):
    admin.site.register(model, AuditedModelAdmin)
