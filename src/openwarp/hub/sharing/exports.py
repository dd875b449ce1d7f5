"""Reports as the reader may see them, in STIX 2.1, MISP and CSV.

The cut to what the reader may know happens here, once: `export_report`
drops the source when the policy hides it, and the pure exporters in
`core/sharing` never see more than that.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings

from openwarp.core.sharing.export_model import ExportIndicator, ExportReport, ExportSource
from openwarp.core.sharing.stix_export import derived_uuid
from openwarp.core.tlp import TLP
from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy import Viewer, may_see_author
from openwarp.hub.sharing.access import shareable, source_label
from openwarp.hub.sharing.models import Report

NAMESPACE = uuid.UUID("6f1c9a52-3c0e-4f7e-9a51-0d1d2b6c8e11")


def hub_identity() -> ExportSource:
    return ExportSource(
        id=derived_uuid(NAMESPACE, f"hub:{settings.HUB_NAME}"), name=settings.HUB_NAME
    )


def organisation_identity(organisation: Organisation) -> ExportSource:
    return ExportSource(
        id=derived_uuid(NAMESPACE, f"{settings.HUB_NAME}:org:{organisation.slug}"),
        name=organisation.name,
    )


def export_report(
    viewer: Viewer, report: Report, *, values: Iterable[tuple[str, str]] | None = None
) -> ExportReport:
    """`values`: the report's (kind, value) pairs in that order, when the
    caller read them already (a TAXII page reads a dozen reports' at once)."""
    known = may_see_author(viewer, shareable(report))
    if values is None:
        # Plain pairs, not model objects: a TAXII page exports thousands of values.
        values = report.indicators.order_by("kind", "value").values_list("kind", "value")
    published = report.published_at or report.created_at
    return ExportReport(
        id=report.public_id,
        title=report.title,
        summary=report.summary,
        description=report.description,
        threat_type=report.threat_type,
        confidence=report.confidence,
        tlp=TLP(report.tlp),
        published=published,
        modified=report.modified_at or published,
        revision=report.revision,
        source=organisation_identity(report.owner_organisation) if known else None,
        source_label=source_label(viewer, report),
        hub_identity=hub_identity(),
        indicators=[ExportIndicator(kind=kind, value=value) for kind, value in values],
    )
