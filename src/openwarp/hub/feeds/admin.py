from django.contrib import admin

from openwarp.hub.audit.admin_mixins import AuditedModelAdmin
from openwarp.hub.feeds.models import Feed


@admin.register(Feed)
class FeedAdmin(AuditedModelAdmin):
    list_display = ["name", "reliability", "tlp", "expiry_days", "last_imported_at", "is_active"]
