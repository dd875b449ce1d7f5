"""Members setting a warning's status, and the coordinator's advisories."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import InvalidInput, PermissionDenied
from openwarp.core.vulns.names import name_keys
from openwarp.hub.audit.services import audit_record
from openwarp.hub.exposure.models import RESOLVED, Advisory, ExposureWarning, Status, WarningEvent
from openwarp.hub.exposure.records import key_text
from openwarp.hub.members.models import User
from openwarp.hub.members.policy.exposure import may_set_warning_status, may_write_advisory
from openwarp.hub.members.policy_adapters import viewer_for

_CVE_ID = re.compile(r"^CVE-\d{4}-\d{4,}$")


@transaction.atomic
def warning_set_status(
    *, actor: User, warning: ExposureWarning, status: str, reason: str = ""
) -> ExposureWarning:
    """Record what the member has done; "not applicable" needs a reason, because
    it hides a warning that the data says applies."""
    if not may_set_warning_status(viewer_for(actor), warning.organisation_id):
        raise PermissionDenied("only the organisation's own staff set its warnings' status")
    if status not in Status.values:
        raise InvalidInput(f"{status!r} is not a status", field="status")
    reason = reason.strip()
    if status == Status.NOT_APPLICABLE and not reason:
        raise InvalidInput("say why the warning does not apply", field="reason")
    now = timezone.now()
    warning.status, warning.status_reason, warning.status_changed_at = status, reason[:500], now
    if status in RESOLVED:
        warning.resolved_at = warning.resolved_at or now
    else:
        warning.resolved_at = None
    warning.save(update_fields=["status", "status_reason", "status_changed_at", "resolved_at"])
    WarningEvent.objects.create(
        warning=warning, status=status, reason=reason[:500], actor=actor, at=now
    )
    audit_record(
        actor=actor,
        action="exposure.warning_status",
        target=warning,
        organisation_id=warning.organisation_id,
        details={"cve": warning.cve_id, "status": status, "reason": reason[:200]},
    )
    return warning


@transaction.atomic
def advisory_create(
    *, actor: User, title: str, body: str, cve_id: str = "", vendor: str = "", product: str = ""
) -> Advisory:
    """Advice for a CVE, or for every CVE in a product (vendor and product both given)."""
    if not may_write_advisory(viewer_for(actor)):
        raise PermissionDenied("only the hub's coordinators write advisories")
    title, cve_id = title.strip(), cve_id.strip().upper()
    vendor, product = vendor.strip(), product.strip()
    if not title:
        raise InvalidInput("give the advisory a title", field="title")
    if not body.strip():
        raise InvalidInput("write the advice", field="body")
    if cve_id and not _CVE_ID.match(cve_id):
        raise InvalidInput(f"{cve_id!r} is not a CVE id such as CVE-2024-21887", field="cve_id")
    keys = sorted(key_text(k) for k in name_keys(vendor, product)) if vendor and product else []
    if (vendor or product) and not keys:
        raise InvalidInput("give both the vendor and the product", field="vendor")
    if not cve_id and not keys:
        raise InvalidInput("attach the advice to a CVE or to a vendor and product", field="cve_id")
    advisory = Advisory.objects.create(
        title=title[:200],
        body=body,
        cve_id=cve_id,
        vendor=vendor[:200],
        product=product[:200],
        product_keys=keys,
        author=actor,
    )
    audit_record(
        actor=actor,
        action="exposure.advisory_create",
        target=advisory,
        details={"title": advisory.title, "cve": cve_id, "product": f"{vendor} {product}"},
    )
    return advisory
