"""The append-only, hash-chained audit log."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    pass


class AuditEntry(models.Model):
    sequence = models.BigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now)
    actor_id = models.BigIntegerField(null=True)
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=80, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    details = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"
        # An object's history (and the password-reset mail limit) is looked up by it.
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries cannot be deleted")

    def chained_content(self) -> dict[str, Any]:
        """The fields the hash covers; at is stored to the microsecond as text."""
        return {
            "sequence": self.sequence,
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_email": self.actor_email,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "organisation_id": self.organisation_id,
            "details": self.details,
        }


class AuditHead(models.Model):
    """One row naming the newest entry, so removing the tail is also detected.

    Appenders lock this row, which also serialises appends across processes.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
