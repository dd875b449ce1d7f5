"""Django admin changes go through the audit log like every other change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from openwarp.hub.audit.services import audit_record


def _organisation_id(obj: models.Model) -> int | None:
    if hasattr(obj, "organisation_id"):
        return obj.organisation_id
    if obj._meta.label_lower == "members.organisation":
        return obj.pk
    return None


class AuditedModelAdmin(admin.ModelAdmin):
    """Records who added, changed or deleted what, and which fields changed."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action="admin.change" if change else "admin.add",
                target=obj,
                organisation_id=_organisation_id(obj),
                details={"fields": sorted(form.changed_data), "object": str(obj)},
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action="admin.delete",
                target=obj,
                organisation_id=_organisation_id(obj),
                details={"object": str(obj)},
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)
