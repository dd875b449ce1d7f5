from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openwarp.hub.audit"
    label = "audit"
    verbose_name = "Audit log"
