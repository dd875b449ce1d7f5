"""What the policy says a reader should find in a TAXII collection."""

from __future__ import annotations

from openwarp.hub.members.policy import Distribution, Viewer, may_view
from openwarp.hub.sharing.access import shareable
from openwarp.hub.sharing.models import Report, ReportState

TAXII = "application/taxii+json;version=2.1"


def expected_report_ids(viewer: Viewer, distribution: Distribution) -> set[str]:
    """Published reports of one scope the policy lets `viewer` see, as STIX ids."""
    return {
        f"report--{report.public_id}"
        for report in Report.objects.filter(state=ReportState.PUBLISHED, distribution=distribution)
        if may_view(viewer, shareable(report))
    }


def report_ids(objects: list[dict]) -> set[str]:  # type: ignore[type-arg]
    return {obj["id"] for obj in objects if obj["type"] == "report"}
