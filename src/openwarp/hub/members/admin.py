from django.contrib import admin

from openwarp.hub.audit.admin_mixins import AuditedModelAdmin
from openwarp.hub.members.models import (
    ApiToken,
    Domain,
    NetworkRange,
    Organisation,
    Region,
    SharingGroup,
    User,
)


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "org_type", "parent", "population", "subregion", "is_active"]
    list_filter = ["org_type", "subregion", "is_active"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    list_display = ["email", "full_name", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "totp_secret", "totp_last_step", "user_permissions", "groups"]
    readonly_fields = ["last_login", "date_joined", "totp_confirmed_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ["user", "name", "prefix", "scope", "expires_at", "revoked_at"]
    readonly_fields = ["prefix", "secret_hash", "created_at", "last_used_at"]


for model in (Region, NetworkRange, Domain, SharingGroup):
    admin.site.register(model, AuditedModelAdmin)
