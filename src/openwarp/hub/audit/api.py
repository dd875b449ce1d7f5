"""Audit log API for the people who run the hub."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Router, Schema

from openwarp.core.errors import PermissionDenied
from openwarp.hub.audit.selectors import audit_entries, audit_verify
from openwarp.hub.members.policy import Action, may
from openwarp.hub.web.decorators import MemberRequest

API_PREFIX = "/audit"
router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    sequence: int
    at: datetime
    actor_email: str
    action: str
    object_type: str
    object_id: str
    organisation_id: int | None
    details: dict[str, Any]
    hash: str


class VerifyOut(Schema):
    intact: bool
    entries: int
    first_broken_sequence: int | None
    reason: str | None


def _require_auditor(request: MemberRequest) -> None:
    if not may(request.viewer, Action.VIEW_AUDIT_LOG):
        raise PermissionDenied("the audit log is for coordinators and admins")


@router.get("/entries", response=list[AuditEntryOut])
def entries(request: MemberRequest, limit: int = 200) -> object:
    _require_auditor(request)
    return audit_entries(limit=max(1, min(limit, 1000)))


@router.get("/verify", response=VerifyOut)
def verify(request: MemberRequest) -> dict[str, object]:
    _require_auditor(request)
    count, broken = audit_verify()
    return {
        "intact": broken is None,
        "entries": count,
        "first_broken_sequence": broken.sequence if broken else None,
        "reason": broken.reason if broken else None,
    }
