from django.contrib import admin

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
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "org_type", "parent", "population", "subregion", "is_active"]
    list_filter = ["org_type", "subregion", "is_active"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "totp_secret", "totp_last_step", "user_permissions", "groups"]
    readonly_fields = ["last_login", "date_joined", "totp_confirmed_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "scope", "expires_at", "revoked_at"]
    readonly_fields = ["prefix", "secret_hash", "created_at", "last_used_at"]


admin.site.register(Region)
admin.site.register(NetworkRange)
admin.site.register(Domain)
admin.site.register(SharingGroup)
